"""onpromet.email_html: the one <style> of templates/email/base.html copied into each element's
style attribute, for mail programs that drop <style>; and the email templates, which write
classes only, never a style attribute of their own."""

import re
from pathlib import Path

from django.conf import settings

from onpromet.email_html import inline_css

NBSP = "\u00a0"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
EMAIL_TEMPLATES = sorted(
    [*(TEMPLATES / "email").glob("*.html"), *(TEMPLATES / "account" / "email").glob("*.html")]
)
PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Essai</title>
<style>
.note { font-size: 14px; color: #5b6b63; }
.content a { color: #0b6e4f; }
@media (max-width: 480px) { .content { padding: 12px !important; } }
</style></head>
<body><table role="presentation"><tr><td class="content">
<p class="note">Bonjour \ue000name\ue000, l'action{nbsp}: «{nbsp}nettoyer{nbsp}» &amp; &lt;b&gt;</p>
<a href="\ue000unsubscribe\ue000">Ne plus recevoir ce type d'e-mails</a>
</td></tr></table></body></html>""".replace("{nbsp}", NBSP)


def test_it_copies_the_rules_of_the_style_block_into_each_element():
    html = inline_css(PAGE)

    assert '<p class="note" style="font-size: 14px;color: #5b6b63;">' in html
    assert re.search(r'<a href="[^"]*" style="color: #0b6e4f;">', html)


def test_it_keeps_the_style_block_in_the_head_with_its_media_queries():
    """For the programs that read <style>: a phone's rules live only there."""
    head = inline_css(PAGE).split("</head>", 1)[0]

    assert "<style>" in head
    assert "@media (max-width: 480px) { .content { padding: 12px !important; } }" in head


def test_it_lets_the_placeholders_of_a_broadcast_through_in_text_and_in_attributes():
    """BroadcastEmails inlines once, then puts each recipient's name and link in their place."""
    html = inline_css(PAGE)

    assert "Bonjour \ue000name\ue000," in html
    assert 'href="\ue000unsubscribe\ue000"' in html


def test_it_gives_back_the_doctype_and_the_french_no_break_spaces_as_written():
    html = inline_css(PAGE)

    assert html.startswith("<!doctype html>")
    assert f"l'action{NBSP}: «{NBSP}nettoyer{NBSP}»" in html
    assert "&nbsp;" not in html
    assert "&amp; &lt;b&gt;" in html  # what was escaped stays escaped


def test_it_leaves_a_no_break_space_typed_as_text_alone():
    """The entity a person typed (escaped by Django) is text, not a space to give back."""
    html = inline_css(PAGE.replace("Bonjour", "Bonjour &amp;nbsp;"))

    assert "Bonjour &amp;nbsp; \ue000name" in html


def test_it_never_fetches_a_stylesheet():
    """Rendering an email never reaches the network (nothing listens on the discard port)."""
    linked = PAGE.replace(
        "</head>", '<link rel="stylesheet" href="http://127.0.0.1:9/email.css"></head>'
    )

    html = inline_css(linked)

    assert "127.0.0.1:9" not in html
    assert '<p class="note" style="font-size: 14px;color: #5b6b63;">' in html


def test_it_finds_no_style_attribute_written_by_hand_in_the_email_templates():
    assert len(EMAIL_TEMPLATES) > 20
    written = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in EMAIL_TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bstyle\s*=", line)
    ]
    assert written == []


def test_it_styles_every_class_the_email_templates_use():
    """A class that the <style> block does not know would go out unstyled: a typo shows here."""
    base = (TEMPLATES / "email" / "base.html").read_text()
    stylesheet = base.split("<style>", 1)[1].split("</style>", 1)[0]
    styled = set(re.findall(r"\.([a-z][\w-]*)", stylesheet))
    used = {
        name
        for path in EMAIL_TEMPLATES
        for classes in re.findall(r'\bclass="([^"{]*)"', path.read_text())
        for name in classes.split()
    }
    assert used, "no class found: the pattern no longer matches the templates"
    assert used - styled == set()
