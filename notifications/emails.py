"""The emails of the outbox, each from a template triple templates/email/<name>.subject.txt,
<name>.txt and <name>.html (which extends email/base.html). What a kind's email says comes
from its registry entry (notifications.kinds): its template, its context, its variants."""

import re
from types import SimpleNamespace

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape

from onpromet.email_html import inline_css
from onpromet.mail import Email
from onpromet.site_url import absolute

from . import kinds
from .models import Broadcast

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The whitespace a subject template may have (line breaks, indentation): not the no-break
# spaces of French typography, which str.split() would also break on.
_SUBJECT_SPACES = re.compile(r"[ \t\r\n]+")


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
    html = inline_css(render_to_string(f"email/{name}.html", context))
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
    """A single email (not a broadcast's) from the template triple `name`."""
    parts = render(name, context, unsubscribe_url=unsubscribe_url)
    return assemble(*parts, to=to, unsubscribe_url=unsubscribe_url, connection=connection)


class BroadcastEmails:
    """The emails of one broadcast. Its templates are rendered once (per variant, e.g. failed
    and failed_initiator); the emails of its recipients differ only by the name and the
    unsubscribe link, filled in afterwards — a large broadcast renders its templates once, not
    once per person. Broadcast templates therefore use nothing of `user` but
    `user.display_name`."""

    # Private-use characters: they never occur in real text, and no filter escapes them.
    NAME, UNSUBSCRIBE = "\ue000name\ue000", "\ue000unsubscribe\ue000"

    def __init__(self, broadcast: Broadcast):
        self.broadcast = broadcast
        self.kind = kinds.kind(broadcast.kind)
        self._rendered: dict[str, tuple[str, str, str]] = {}

    def templates(self, user_ids: set[int]) -> dict[int, str]:
        """The template of each of these recipients (one batch): the kind's, or its variant."""
        variants = self.kind.variants(self.broadcast, user_ids) if self.kind.variants else {}
        return {user_id: variants.get(user_id, self.kind.template) for user_id in user_ids}

    @cached_property
    def _context(self) -> dict:
        return {
            "user": SimpleNamespace(display_name=self.NAME),
            **self.kind.context(self.broadcast),
        }

    def message(self, *, user, template: str, connection=None) -> EmailMultiAlternatives:
        if template not in self._rendered:
            self._rendered[template] = render(
                template, self._context, unsubscribe_url=self.UNSUBSCRIBE
            )
        subject, text, html = self._rendered[template]
        token = unsubscribe_token(user_id=user.pk, topic=self.kind.topic)
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
