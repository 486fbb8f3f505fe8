"""The HTML part of every email, outbox and account alike: templates/email/base.html styles it
with one <style> block and classes, and inline_css() copies those rules into style=""
attributes when the email is rendered, for the mail programs that drop <style> (several webmail
and desktop clients do). The block stays in <head> for the programs that read it, with its
@media rules, which no attribute can hold.

The inlining is css-inline's (Rust, about 0.1 ms for one of our emails): BroadcastEmails renders
a broadcast's templates once and fills in each recipient's name and unsubscribe link afterwards,
so a broadcast is inlined once, not once per recipient.
"""

import css_inline

from onpromet.french import NBSP

# Nothing is fetched: our emails link no stylesheet, and rendering must never reach the network.
_INLINER = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)
# css-inline writes the document back through an HTML serializer that spells the doctype in
# capitals and U+00A0 as "&nbsp;". Both mean the same to a mail program; we hand back what the
# templates wrote, so that the HTML part carries the French no-break spaces as characters, as
# the text part and the subject do.
_SERIALIZED_DOCTYPE, _TEMPLATE_DOCTYPE = "<!DOCTYPE html>", "<!doctype html>"


def inline_css(html: str) -> str:
    """`html`, a whole document, with its <style> rules copied into each element's style
    attribute. Private-use characters (BroadcastEmails' placeholders) go through untouched."""
    inlined = _INLINER.inline(html).replace("&nbsp;", NBSP)
    if html.startswith(_TEMPLATE_DOCTYPE) and inlined.startswith(_SERIALIZED_DOCTYPE):
        inlined = _TEMPLATE_DOCTYPE + inlined.removeprefix(_SERIALIZED_DOCTYPE)
    return inlined
