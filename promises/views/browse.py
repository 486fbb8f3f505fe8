"""Finding a promise: the home page and /promesses/, with search, filters and sorting."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from onpromet.pagecache import page_number, render_cached

from .. import caching, selectors
from ..forms import SearchForm

PROMISES_PER_PAGE = 12


def home(request: HttpRequest) -> HttpResponse:
    closest, newest = selectors.home_promises(user=request.user)
    key = (caching.reader(request.user), caching.versions(closest), caching.versions(newest))

    def context() -> dict:
        closest_cards, newest_cards = selectors.cards(closest, newest)
        return {"closest": closest_cards, "newest": newest_cards}

    return render_cached(request, "home.html", key=key, context=context)


def promise_list(request: HttpRequest) -> HttpResponse:
    # Bound only to a search (building a form costs more than reading the cached page).
    form = SearchForm(request.GET) if request.GET else None
    data = form.cleaned_data if form and form.is_valid() else {}
    page = selectors.promises_page(
        user=request.user,
        q=data.get("q", ""),
        state=data.get("etat", ""),
        theme=data.get("theme"),
        sort=data.get("tri", ""),
        number=page_number(request, "page"),
        per_page=PROMISES_PER_PAGE,
    )
    # The search as typed, for the form and the pagination links: the form's own fields only
    # (a link shared with ?fbclid=… makes the same page, and the same cache key).
    query = urlencode(
        [(name, request.GET[name]) for name in SearchForm.base_fields if name in request.GET]
    )

    def context() -> dict:
        (page.object_list,) = selectors.cards(page.object_list)
        return {"form": form or SearchForm(), "page": page, "query": query}

    if data.get("q"):
        # A search is rarely typed twice the same way: not worth a cache entry.
        return render(request, "promises/list.html", context())
    key = (
        caching.reader(request.user),
        query,
        page.number,
        page.paginator.count,
        caching.versions(page.object_list),
    )
    return render_cached(request, "promises/list.html", key=key, context=context)
