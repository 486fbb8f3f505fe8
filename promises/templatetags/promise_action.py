"""The action on a promise page: news from the initiators, kept promises."""

from django import template

from promises import selectors, text
from promises.models import Promise
from promises.permissions import PromiseAccess

register = template.Library()


@register.inclusion_tag("promises/_news.html")
def promise_news(access: PromiseAccess) -> dict:
    """{% promise_news access %}: the newest updates (one query), a link to all of them."""
    updates, more = selectors.promise_news(access.promise)
    return {"promise": access.promise, "access": access, "updates": updates, "more": more}


@register.simple_tag
def kept_sentence(promise: Promise) -> str:
    """'12 personnes ont tenu leur promesse', or "" before anyone has said so."""
    kept = selectors.kept_count(promise)
    return text.kept_count(kept) if kept else ""
