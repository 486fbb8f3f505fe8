"""An account email, as allauth's flow sends it: the adapter's render_mail inlines the rules of
email/base.html's <style> block into its HTML part, as the outbox does for its emails."""

import re


def _html(mail) -> str:
    (html,) = [content for content, mimetype in mail.alternatives if mimetype == "text/html"]
    return html


def style(html: str, opening: str) -> str:
    match = re.search(rf'<{opening}[^>]*? style="([^"]*)"', html)
    assert match, f"no styled <{opening}>"
    return match.group(1)


def test_it_sends_the_password_reset_link_with_the_layout_styles_on_its_elements(
    client, participant, mailoutbox
):
    client.post("/accounts/password/reset/", {"email": participant.email})
    (mail,) = mailoutbox

    head, body = _html(mail).split("</head>", 1)

    assert "<style>" in head and "table.button a {" in head
    assert (
        style(body, "h1") == "font-size: 22px;line-height: 1.3;margin: 0 0 12px 0;color: #0b6e4f;"
    )
    button = style(body, r'a href="[^"]*/accounts/password/reset/key/[^"]*"')
    assert "color: #ffffff" in button and "display: inline-block" in button
    # The same link written out below the button, for programs that show no buttons.
    assert "word-break: break-all" in style(body, 'a class="url"')
    assert "color: #5b6b63" in style(body, 'p class="note"')
