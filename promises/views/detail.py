"""The promise page."""

from functools import cache

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onpromet.pagecache import page_number, render_cached

from .. import caching, selectors, sharing
from ..forms import AbandonForm
from ..models import Promise
from ..permissions import PromiseAccess, get_promise

PARTICIPANTS_PER_PAGE = 30


def promise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # What the cache key needs, and no more: most requests end with the page from the cache.
    promise = selectors.visible_promise_version(request.user, slug)
    if promise is None:
        if Promise.objects.filter(slug=slug, is_hidden=True).exists():
            # A shared link to a hidden promise explains why it is gone, and shows nothing else.
            return render(request, "promises/hidden.html", status=404)
        raise Http404
    arrival = sharing.page_source(request.GET.get("source", ""))
    if arrival is not None:  # from the widget or a poster: remembered until they pledge
        sharing.arrival_record(request.session, promise, arrival)
    participants_page = page_number(request, "participants")
    # The visitor's pledge, read at most once, and only if the cache does not know it.
    viewer = cache(lambda: PromiseAccess.of(promise, request.user))

    def context() -> dict:
        access = PromiseAccess(
            promise=get_promise(request, slug), user=request.user, pledge=viewer().pledge
        )
        promise = access.promise
        paginator = Paginator(selectors.promise_participants(promise), PARTICIPANTS_PER_PAGE)
        # The counter kept on the promise is that COUNT(*), exact under the promise lock: no
        # need to count every pledge of a promise that succeeds.
        paginator.count = promise.pledge_count
        return {
            "promise": promise,
            "access": access,
            "share": sharing.SharePanel.of(
                promise,
                token=caching.share_token_placeholder() if access.pledge else None,
                brought=viewer().brought,  # counted once: the cache key's facts read it too
            ),
            "initiators": list(selectors.promise_initiators(promise).order_by("activated_at")),
            "participants": paginator.get_page(participants_page),
            "abandon_form": AbandonForm(),
            "also_pledged": selectors.also_pledged(promise),
        }

    who = caching.viewer(promise, request.user, viewer)
    key = (
        promise.pk,
        promise.version,
        participants_page,
        page_number(request, "discussion"),  # {% discussion %} reads the same parameter
        who.key,
    )
    return render_cached(request, "promises/detail.html", key=key, context=context, fill=who.fill)
