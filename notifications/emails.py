"""Every email of OnPromet is built here, one function per email, from a template triple
templates/email/<name>.subject.txt, <name>.txt and <name>.html (which extends email/base.html)."""

import re
from email.header import Header
from email.message import Message
from types import SimpleNamespace

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape

from onpromet.site_url import absolute

from .models import Broadcast

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The whitespace a subject template may have (line breaks, indentation): not the no-break
# spaces of French typography, which str.split() would also break on.
_SUBJECT_SPACES = re.compile(r"[ \t\r\n]+")


class Email(EmailMultiAlternatives):
    """An email whose subject reaches the reader without a leading space. Django hands Python
    the subject already encoded (RFC 2047) without saying it is a Subject; the compat32
    folding then finds the first encoded word too long to follow "Subject: " and puts it on
    the next line, which readers unfold to " Objectif atteint…". Any subject with an accent or
    a no-break space and over about 40 characters did it. A Header told its name folds after
    the first words instead. (Django 6 uses the modern email API, where this is gone.)"""

    def message(self):
        message = super().message()
        del message["Subject"]
        # Message's own __setitem__: Django's would turn the Header back into a string.
        Message.__setitem__(message, "Subject", Header(self.subject, header_name="Subject"))
        return message


def unsubscribe_token(*, user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a token that we did not make."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["t"])


def render(name: str, context: dict, *, unsubscribe_url: str | None = None) -> tuple[str, str, str]:
    """The subject, text and HTML of the template triple `name`."""
    context = {**context, "site_url": settings.SITE_URL, "unsubscribe_url": unsubscribe_url}
    subject = render_subject(name, context)
    text = render_to_string(f"email/{name}.txt", context)
    html = render_to_string(f"email/{name}.html", context)
    return subject, text, html


def render_subject(name: str, context: dict) -> str:
    """One line, whatever line breaks the template has, its no-break spaces kept."""
    subject = render_to_string(f"email/{name}.subject.txt", context)
    return _SUBJECT_SPACES.sub(" ", subject).strip(" ")


def assemble(
    subject: str,
    text: str,
    html: str,
    *,
    to: str,
    unsubscribe_url: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    headers = {}
    if unsubscribe_url:
        # One-click unsubscribe (RFC 8058): mail clients POST to the URL without a login.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = Email(subject=subject, body=text, to=[to], headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def build(
    name: str,
    context: dict,
    *,
    to: str,
    unsubscribe_url: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    parts = render(name, context, unsubscribe_url=unsubscribe_url)
    return assemble(*parts, to=to, unsubscribe_url=unsubscribe_url, connection=connection)


_TEMPLATES = {
    Broadcast.Kind.REACHED: "reached",
    Broadcast.Kind.JOINED_LATE: "joined_late",
    Broadcast.Kind.FAILED: "failed",
    Broadcast.Kind.CANCELLED: "cancelled",
    Broadcast.Kind.REPLY: "reply",
    Broadcast.Kind.INITIATOR_POST: "initiator_post",
    # The action: news (context: update), the reminder the day before (agenda_url), the
    # relaunch of a failed promise (promise.relaunched_from).
    Broadcast.Kind.UPDATE: "update",
    Broadcast.Kind.ACTION_REMINDER: "action_reminder",
    Broadcast.Kind.RELAUNCH: "relaunch",
    # The bilan (context: recap, figures, recap_url), and the reminder to publish it.
    Broadcast.Kind.RECAP: "recap",
    Broadcast.Kind.RECAP_REMINDER: "recap_reminder",
}


class BroadcastEmails:
    """The emails of one broadcast. Its templates are rendered once (per variant: failed and
    failed_initiator); the emails of its recipients differ only by the name and the
    unsubscribe link, filled in afterwards — a large broadcast renders its templates once, not
    once per person. Broadcast templates therefore use nothing of `user` but
    `user.display_name`."""

    # Private-use characters: they never occur in real text, and no filter escapes them.
    NAME, UNSUBSCRIBE = "\ue000name\ue000", "\ue000unsubscribe\ue000"

    def __init__(self, broadcast: Broadcast):
        self.broadcast = broadcast
        self._rendered: dict[str, tuple[str, str, str]] = {}

    def _template(self, is_initiator: bool) -> str:
        if self.broadcast.kind == Broadcast.Kind.FAILED and is_initiator:
            return "failed_initiator"
        if (
            self.broadcast.kind == Broadcast.Kind.REPLY
            and self.broadcast.recipient_id != self.broadcast.comment.post.author_id
        ):
            return "reply_thread"  # to someone who replied earlier, not to the post's author
        return _TEMPLATES[self.broadcast.kind]

    @cached_property
    def _context(self) -> dict:
        broadcast, promise = self.broadcast, self.broadcast.promise
        return {
            "user": SimpleNamespace(display_name=self.NAME),
            "promise": promise,
            "post": broadcast.post,
            "comment": broadcast.comment,
            "update": broadcast.update,
            "promise_url": absolute(promise.get_absolute_url()),
            "relaunch_url": absolute(reverse("promises:relaunch", args=[promise.slug])),
            "agenda_url": absolute(reverse("promises:agenda", args=[promise.slug])),
            **_reached_context(broadcast),
            **_recap_context(broadcast),
        }

    def message(self, *, user, is_initiator: bool, connection=None) -> EmailMultiAlternatives:
        name = self._template(is_initiator)
        if name not in self._rendered:
            self._rendered[name] = render(name, self._context, unsubscribe_url=self.UNSUBSCRIBE)
        subject, text, html = self._rendered[name]
        token = unsubscribe_token(user_id=user.pk, topic=self.broadcast.topic)
        url = absolute(reverse("notifications:unsubscribe", args=[token]))

        def fill(part: str, display_name: str) -> str:
            return part.replace(self.NAME, display_name).replace(self.UNSUBSCRIBE, url)

        return assemble(
            fill(subject, user.display_name),
            fill(text, user.display_name),
            fill(html, escape(user.display_name)),
            to=user.email,
            unsubscribe_url=url,
            connection=connection,
        )


def _reached_context(broadcast: Broadcast) -> dict:
    """Who "vous" is in "Objectif atteint": everyone counted when the objective was reached,
    initiators included (the very audience of the email, Pledge.joined_late False), whether
    still active or abandoned since; and apart, the initiators, whom the objective does not
    count (X counts the others), so that the email can say both numbers truly. Abandoners
    still count, as in the bilan's "au moment de l'objectif": they were there when it was
    reached."""
    if broadcast.kind != Broadcast.Kind.REACHED:
        return {}
    from promises.models import Pledge

    counts = (
        broadcast.promise.pledges.at_reach()
        .filter(status__in=[Pledge.Status.ACTIVE, Pledge.Status.ABANDONED])
        .aggregate(together=Count("pk"), initiators=Count("pk", filter=Q(is_initiator=True)))
    )
    return {
        "reached_together": counts["together"],
        "reached_initiators": counts["initiators"],
        "reached_others": counts["together"] - counts["initiators"],
    }


def _recap_context(broadcast: Broadcast) -> dict:
    """The bilan and its figures, for the recap emails (computed once per broadcast)."""
    if broadcast.kind not in (Broadcast.Kind.RECAP, Broadcast.Kind.RECAP_REMINDER):
        return {}
    from promises.figures import promise_figures
    from promises.models import Recap

    promise = broadcast.promise
    recap_url = absolute(reverse("promises:recap", args=[promise.slug]))
    recap_edit_url = absolute(reverse("promises:recap_edit", args=[promise.slug]))
    return {
        "recap": Recap.objects.filter(promise=promise).first(),
        "figures": promise_figures(promise),
        "recap_url": recap_url,
        "recap_edit_url": recap_edit_url,
        # The email's button (email/base.html) leads to the bilan, or to its form.
        "promise_url": recap_url if broadcast.kind == Broadcast.Kind.RECAP else recap_edit_url,
    }


def invitation_message(*, invitation) -> EmailMultiAlternatives:
    """To an email address, not an account: an initiator invites someone to co-lead."""
    promise = invitation.promise
    return build(
        "invitation",
        {
            "invitation": invitation,
            "promise": promise,
            "inviter": invitation.invited_by,
            "invitation_url": absolute(
                reverse("promises:invitation", args=[promise.slug, invitation.token])
            ),
        },
        to=invitation.email,
    )


def to_payload(message: EmailMultiAlternatives) -> dict:
    """A rendered email as JSON, for a Celery task."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
    }


def from_payload(payload: dict) -> EmailMultiAlternatives:
    message = Email(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message
