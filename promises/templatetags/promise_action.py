"""The action on a promise page: news from the initiators, kept promises."""

from django import template

from promises import text
from promises.models import Promise
from promises.permissions import PromiseAccess

register = template.Library()

NEWS_ON_PAGE = 3


@register.inclusion_tag("promises/_news.html")
def promise_news(access: PromiseAccess) -> dict:
    """{% promise_news access %}: the newest updates (one query), a link to all of them."""
    promise = access.promise
    # Index update_promise_created: the newest updates of one promise.
    newest = list(
        promise.updates.select_related("author").order_by("-created_at", "-pk")[: NEWS_ON_PAGE + 1]
    )
    return {
        "promise": promise,
        "access": access,
        "updates": newest[:NEWS_ON_PAGE],
        "more": len(newest) > NEWS_ON_PAGE,
    }


@register.simple_tag
def kept_sentence(promise: Promise) -> str:
    """'12 personnes ont tenu leur promesse', or "" before anyone has said so."""
    kept = promise.pledges.kept().count()
    return text.kept_count(kept) if kept else ""
