"""A broadcast email as the SMTP server receives it: its HTML part carries the rules of
email/base.html's <style> block in each element's style attribute (onpromet.email_html), for
mail programs that drop <style>; the block stays in <head>. A broadcast is inlined once per
template, then each recipient's name and unsubscribe link are filled in."""

import re

from django.utils.html import escape

from notifications import emails
from notifications.models import Broadcast
from notifications.tasks import send_broadcast
from onpromet.email_html import inline_css
from onpromet.site_url import absolute
from promises.emails import REACHED
from promises.tests.factories import reach

GREEN, GREY = "#0b6e4f", "#5b6b63"


def _html(message) -> str:
    (part,) = [part for part in message.walk() if part.get_content_type() == "text/html"]
    return part.get_payload(decode=True).decode(part.get_content_charset())


def declarations(html: str, opening: str) -> dict[str, str]:
    """The style attribute of the first element whose opening tag matches `opening`, as
    {property: value}."""
    match = re.search(rf'<{opening}[^>]*? style="([^"]*)"', html)
    assert match, f"no styled <{opening}>"
    return {
        name.strip(): value.strip()
        for name, value in (rule.split(":", 1) for rule in match.group(1).split(";") if rule)
    }


def test_it_sends_the_reached_email_with_the_layout_styles_on_its_elements(smtp, promise):
    people = reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)
    message = {str(m["To"]): m for m in smtp.messages}[people[0].email]

    head, body = _html(message).split("</head>", 1)

    assert "<style>" in head and ".content blockquote {" in head
    assert declarations(body, 'blockquote class="sentence"') == {
        "margin": "0 0 16px 0",
        "padding": "12px 16px",
        "background": "#e7f2ed",
        "border-radius": "8px",
        "font-size": "18px",
        "font-weight": "bold",
    }
    assert declarations(body, "h1")["color"] == GREEN
    button = declarations(body, f'a href="{re.escape(absolute(promise.get_absolute_url()))}"')
    assert button["color"] == "#ffffff" and button["display"] == "inline-block"


def test_it_fills_in_each_recipient_after_inlining(smtp, promise):
    """The placeholders went through the inliner: the name is in a styled paragraph, the
    recipient's own unsubscribe link in a styled footer link."""
    people = reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)

    for message in smtp.messages:
        html = _html(message)
        user = next(u for u in [*people, promise.created_by] if u.email == str(message["To"]))
        link = message["List-Unsubscribe"].strip()[1:-1]
        greeting = f'<p style="margin: 0 0 12px 0;">Bonjour {escape(user.display_name)},</p>'
        assert greeting in html
        assert declarations(html, f'a href="{re.escape(link)}"') == {"color": GREY}
        assert "\ue000" not in html


def test_it_inlines_a_broadcast_once_whatever_its_number_of_recipients(smtp, promise, monkeypatch):
    """The inliner runs on the template's rendering, before the recipients are filled in."""
    inlined = []

    def counted(html: str) -> str:
        inlined.append(html)
        return inline_css(html)

    monkeypatch.setattr(emails, "inline_css", counted)
    people = reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)

    assert len(smtp.messages) == len(people) + 1
    assert len(inlined) == 1
