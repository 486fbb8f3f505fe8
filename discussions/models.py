import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

MASKED_TEXT = "Message masqué par la modération"


class Moderated(models.Model):
    """Content a moderator can hide; hidden content is masked for everyone but its author and
    moderators. Content of a deactivated account is masked the same way."""

    is_hidden = models.BooleanField("masqué par la modération", default=False)
    hidden_at = models.DateTimeField("masqué le", null=True, blank=True)

    class Meta:
        abstract = True

    def is_masked_for(self, user) -> bool:
        if not (self.is_hidden or not self.author.is_active):
            return False
        return not (user.is_authenticated and (user.pk == self.author_id or user.is_staff))


def photo_path(post: "Post", filename: str) -> str:
    # The file name is already random (onpromet.photos); only the month groups files.
    return f"photos/{timezone.now():%Y/%m}/{filename}"


class PostQuerySet(models.QuerySet):
    def for_page(self) -> "PostQuerySet":
        """The discussion of a promise page: pinned first, then newest first, with authors
        and replies in a constant number of queries."""
        replies = Comment.objects.select_related("author").order_by("created_at")
        return (
            self.select_related("author")
            .prefetch_related(models.Prefetch("comments", queryset=replies))
            .order_by("-is_pinned", "-created_at", "-pk")
        )

    def with_photo(self) -> "PostQuerySet":
        return self.exclude(photo="")


class Post(Moderated):
    EDIT_WINDOW = datetime.timedelta(minutes=15)
    TEXT_MAX_LENGTH = 5000

    promise = models.ForeignKey(
        "promises.Promise", on_delete=models.CASCADE, related_name="posts", verbose_name="promesse"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name="auteur",
    )
    text = models.TextField("message", blank=True, max_length=TEXT_MAX_LENGTH)
    photo = models.ImageField(
        "photo",
        upload_to=photo_path,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail = models.ImageField("vignette", upload_to=photo_path, blank=True)
    is_pinned = models.BooleanField("épinglé", default=False)
    created_at = models.DateTimeField("publié le", default=timezone.now)
    edited_at = models.DateTimeField("modifié le", null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        constraints = [
            # An initiator pins one post per promise (e.g. the meeting point).
            models.UniqueConstraint(
                fields=["promise"], condition=Q(is_pinned=True), name="post_one_pinned_per_promise"
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(photo=""), name="post_has_text_or_photo"
            ),
        ]
        indexes = [
            # The discussion of a promise page, newest first.
            models.Index(fields=["promise", "-created_at"], name="post_promise_created"),
            # The photo gallery of a promise.
            models.Index(
                fields=["promise", "-created_at"],
                condition=~Q(photo=""),
                name="post_promise_photos",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} — {self.text[:50] or '(photo)'}"

    def get_absolute_url(self) -> str:
        return f"{reverse('promises:detail', kwargs={'slug': self.promise.slug})}#message-{self.pk}"

    def is_editable_by(self, user) -> bool:
        """Authors may correct their text for a quarter of an hour."""
        return (
            user.is_authenticated
            and user.pk == self.author_id
            and timezone.now() - self.created_at < self.EDIT_WINDOW
        )


class Comment(Moderated):
    """A reply to a post (one level)."""

    TEXT_MAX_LENGTH = 2000

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name="auteur",
    )
    text = models.TextField("réponse", max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField("publiée le", default=timezone.now)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        indexes = [
            # The replies of the posts of a page, oldest first.
            models.Index(fields=["post", "created_at"], name="comment_post_created"),
        ]

    def __str__(self) -> str:
        return f"{self.author} — {self.text[:50]}"

    def get_absolute_url(self) -> str:
        promise_url = reverse("promises:detail", kwargs={"slug": self.post.promise.slug})
        return f"{promise_url}#reponse-{self.pk}"


def wrote_in(promise, user) -> bool:
    """Whether this person has a post or a reply, hidden or not, in the promise's discussion
    (one query, on the authors' indexes)."""
    posts = Post.objects.filter(promise=promise, author=user)
    replies = Comment.objects.filter(post__promise=promise, author=user)
    return (
        type(promise)
        .objects.filter(pk=promise.pk)
        .filter(models.Exists(posts) | models.Exists(replies))
        .exists()
    )


class Report(models.Model):
    """Someone flagged a post, a reply, a promise or an organisation. Content reported by
    REPORTS_TO_HIDE different people is hidden until a moderator looks."""

    REPORTS_TO_HIDE = 3

    class Reason(models.TextChoices):
        SPAM = "spam", "Publicité ou spam"
        ABUSE = "abuse", "Propos injurieux, haineux ou harcèlement"
        DANGER = "danger", "Contenu dangereux ou illégal"
        PRIVACY = "privacy", "Atteinte à la vie privée"
        OTHER = "other", "Autre raison"

    class Status(models.TextChoices):
        OPEN = "open", "à examiner"
        HIDDEN = "hidden", "contenu masqué"
        DISMISSED = "dismissed", "classé sans suite"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name="signalé par",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    reason = models.CharField("raison", max_length=10, choices=Reason)
    details = models.TextField("précisions", blank=True, max_length=1000)
    status = models.CharField("statut", max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField("signalé le", default=timezone.now)
    resolved_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        constraints = [
            # One report per person and content: three reports means three people.
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"], name="report_once_per_person"
            ),
        ]
        indexes = [
            # Reports of one content (the auto-hide count, the admin grouped by content).
            models.Index(fields=["content_type", "object_id", "status"], name="report_content"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.content_type.model} {self.object_id}"
