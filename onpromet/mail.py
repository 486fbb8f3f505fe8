"""Single emails, outside the outbox's broadcasts: account emails and the co-initiator
invitation. Any app may send one: it renders the message, then hands it to email_send_later."""

import logging
from email.header import Header
from email.message import Message

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

logger = logging.getLogger(__name__)


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


def email_send_later(*, message: EmailMultiAlternatives) -> None:
    """Send a rendered email from a worker once the transaction commits. If the broker cannot
    take it, send it now rather than lose it (a confirmation link must arrive). With
    EMAILS_VIA_WORKER off (the tests' setting), it is sent at once, from the request."""
    if not settings.EMAILS_VIA_WORKER:
        message.send()
        return
    payload = to_payload(message)

    def enqueue() -> None:
        from .tasks import send_email

        try:
            send_email.apply_async(args=[payload], retry=False)
        except Exception:  # noqa: BLE001 (any broker failure: fall back to sending now)
            logger.warning("Broker unreachable; sending %r now", message.subject)
            message.send()

    transaction.on_commit(enqueue)
