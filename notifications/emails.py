"""Every email of OnPromet is built here, one function per email, from a template triple
templates/email/<name>.subject.txt, <name>.txt and <name>.html (which extends email/base.html)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Broadcast

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(*, user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a token that we did not make."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["t"])


def build(
    name: str,
    context: dict,
    *,
    to: str,
    unsubscribe_url: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    context = {**context, "site_url": settings.SITE_URL, "unsubscribe_url": unsubscribe_url}
    subject = " ".join(render_to_string(f"email/{name}.subject.txt", context).split())
    text = render_to_string(f"email/{name}.txt", context)
    html = render_to_string(f"email/{name}.html", context)
    headers = {}
    if unsubscribe_url:
        # One-click unsubscribe (RFC 8058): mail clients POST to the URL without a login.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], headers=headers, connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


_TEMPLATES = {
    Broadcast.Kind.REACHED: "reached",
    Broadcast.Kind.JOINED_LATE: "joined_late",
    Broadcast.Kind.FAILED: "failed",
    Broadcast.Kind.CANCELLED: "cancelled",
    Broadcast.Kind.REPLY: "reply",
    Broadcast.Kind.INITIATOR_POST: "initiator_post",
}


def broadcast_message(
    *, broadcast: Broadcast, user, is_initiator: bool, connection=None
) -> EmailMultiAlternatives:
    """The email of one broadcast for one recipient."""
    promise = broadcast.promise
    name = _TEMPLATES[broadcast.kind]
    if broadcast.kind == Broadcast.Kind.FAILED and is_initiator:
        name = "failed_initiator"
    token = unsubscribe_token(user_id=user.pk, topic=broadcast.topic)
    return build(
        name,
        {
            "user": user,
            "promise": promise,
            "post": broadcast.post,
            "comment": broadcast.comment,
            "is_initiator": is_initiator,
            "promise_url": absolute(promise.get_absolute_url()),
            "relaunch_url": absolute(reverse("promises:create")),
        },
        to=user.email,
        unsubscribe_url=absolute(reverse("notifications:unsubscribe", args=[token])),
        connection=connection,
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
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message
