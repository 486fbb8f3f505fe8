"""Posts, replies and moderation of a promise's discussion."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from notifications.services import broadcast_create
from onpromet.errors import Refusal
from onpromet.photos import ProcessedPhoto
from organisations import services as organisation_services
from organisations.models import Organisation
from promises import services as promise_services
from promises.models import Pledge, Promise

from . import emails
from .models import Comment, Post, Report


@transaction.atomic
def post_create(
    *, promise: Promise, author: User, text: str, photo: ProcessedPhoto | None = None
) -> Post:
    post = Post(promise=promise, author=author, text=text)
    if photo is not None:
        post.photo.save(photo.image.name, photo.image, save=False)
        post.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
    post.save()
    if Pledge.objects.filter(promise=promise, user=author).initiators().exists():
        # Initiators' posts are emailed to the participants who asked for them.
        broadcast_create(promise=promise, kind=emails.INITIATOR_POST, post=post)
    else:
        # The others' posts, to the initiators (in their daily digest, by default).
        broadcast_create(promise=promise, kind=emails.PARTICIPANT_POST, post=post)
    return post


@transaction.atomic
def pledge_keep_and_post(
    *, promise: Promise, user: User, comment: str = "", photo: ProcessedPhoto | None = None
) -> Pledge:
    """J'ai tenu ma promesse (promises.services.pledge_keep); a comment or a photo becomes a
    post in the discussion, in the same transaction: a double click records one of each."""
    pledge = promise_services.pledge_keep(promise=promise, user=user)
    comment = comment.strip()
    if comment or photo is not None:
        text = "J'ai tenu ma promesse !" + (f"\n\n{comment}" if comment else "")
        post_create(promise=pledge.promise, author=user, text=text, photo=photo)
    return pledge


def post_update_text(*, post: Post, text: str) -> Post:
    post.text, post.edited_at = text, timezone.now()
    post.save(update_fields=["text", "edited_at"])
    return post


def post_delete(*, post: Post) -> None:
    files = [f for f in (post.photo, post.thumbnail) if f]
    with transaction.atomic():
        post.delete()
    for field in files:
        # The rows are gone; the files follow (not inside the transaction: a storage is not
        # transactional, and a file left behind is better than a row pointing to nothing).
        field.storage.delete(field.name)


@transaction.atomic
def post_toggle_pin(*, post: Post) -> bool:
    """Pin this post (unpinning the one pinned before), or unpin it. Returns the new state."""
    Promise.objects.select_for_update().get(pk=post.promise_id)  # one pin at a time
    if post.is_pinned:
        Post.objects.filter(pk=post.pk).update(is_pinned=False)
        return False
    Post.objects.filter(promise_id=post.promise_id, is_pinned=True).update(is_pinned=False)
    Post.objects.filter(pk=post.pk).update(is_pinned=True)
    return True


@transaction.atomic
def comment_create(*, post: Post, author: User, text: str) -> Comment:
    comment = Comment.objects.create(post=post, author=author, text=text)
    # The author of the post and those who replied before are told, each by an email of their
    # own (whether they still take part is decided again at send time).
    earlier = post.comments.exclude(pk=comment.pk).values_list("author_id", flat=True)
    for recipient_id in dict.fromkeys([post.author_id, *earlier]):
        if recipient_id != author.pk:
            broadcast_create(
                promise=post.promise,
                kind=emails.REPLY,
                recipient=User(pk=recipient_id),
                comment=comment,
            )
    return comment


# --- Moderation -------------------------------------------------------------------------------


def _set_hidden(content: Model, hidden: bool) -> None:
    if isinstance(content, Promise):
        promise_services.promise_set_hidden(promise=content, hidden=hidden)
    elif isinstance(content, Organisation):
        organisation_services.organisation_set_hidden(organisation=content, hidden=hidden)
    else:
        type(content).objects.filter(pk=content.pk).update(
            is_hidden=hidden, hidden_at=timezone.now() if hidden else None
        )


def content_set_hidden(*, content: Model, hidden: bool) -> None:
    """Hide or show a post, a reply, a promise or an organisation; settles its open reports."""
    now = timezone.now()
    with transaction.atomic():
        _set_hidden(content, hidden)
        if not hidden:
            return
        reports_of(content).filter(status=Report.Status.OPEN).update(
            status=Report.Status.HIDDEN, resolved_at=now
        )


@transaction.atomic
def reports_dismiss(*, content: Model) -> int:
    """Classer sans suite: the reports were unfounded. Content they had hidden automatically
    (Report.REPORTS_TO_HIDE) is shown again."""
    dismissed = (
        reports_of(content)
        .filter(status=Report.Status.OPEN)
        .update(status=Report.Status.DISMISSED, resolved_at=timezone.now())
    )
    if dismissed and content.is_hidden:
        _set_hidden(content, False)
    return dismissed


def reports_of(content: Model):
    return Report.objects.filter(
        content_type=ContentType.objects.get_for_model(content), object_id=content.pk
    )


def report_create(*, reporter: User, content: Model, reason: str, details: str = "") -> Report:
    """Signaler. Content reported by Report.REPORTS_TO_HIDE different people is hidden at once,
    until a moderator looks (and unhides it, or confirms)."""
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                content_type=ContentType.objects.get_for_model(content),
                object_id=content.pk,
                reason=reason,
                details=details,
            )
    except IntegrityError:
        raise Refusal("Vous avez déjà signalé ce contenu : merci, c'est noté.") from None
    reporters = reports_of(content).filter(status=Report.Status.OPEN).count()
    if reporters >= Report.REPORTS_TO_HIDE and not content.is_hidden:
        # Hidden, but the reports stay open: a moderator still has to look.
        _set_hidden(content, True)
    return report
