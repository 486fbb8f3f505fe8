"""Finding a promise: the home page and /promesses/, with search, filters and sorting."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django_permissions_policy.decorators import permissions_policy_override

from onpromet.pagecache import page_number, render_cached

from .. import alerts, caching, search, selectors
from ..forms import SearchForm
from ..models import Theme

PROMISES_PER_PAGE = 12


def home(request: HttpRequest) -> HttpResponse:
    closest, newest = selectors.home_promises(user=request.user)
    key = (caching.reader(request.user), caching.versions(closest), caching.versions(newest))

    def context() -> dict:
        closest_cards, newest_cards = selectors.cards(closest, newest)
        # The themes change in the admin only, and seldom: a renamed one shows on home when
        # the page is rendered again, within PAGE_TTL.
        themes = Theme.objects.order_by("name")
        return {"closest": closest_cards, "newest": newest_cards, "themes": themes}

    return render_cached(request, "home.html", key=key, context=context)


def _nothing_found(data: dict) -> dict:
    """What a search that found nothing suggests: the same words without the filters (the
    link keeps q and the order, drops the rest), or other words when those were all too
    common to search ("le", "de")."""
    kept = {name: data[name] for name in ("q", "tri") if data.get(name)}
    filtered = any(data.get(name) for name in ("etat", "theme"))
    return {
        "without_filters": urlencode(kept) if filtered else "",
        "only_common_words": not search.has_words(data["q"]),
    }


# "Me localiser" (static/js/near.js) asks for the position on the pages that search near
# a place (this list and the finder), and only there.
asks_position = permissions_policy_override(
    {**settings.PERMISSIONS_POLICY, "geolocation": ["self"]}
)


@asks_position
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
        near=data.get("near"),
        answers=form.answers() if data else None,  # time, format, when: the finder's filters
        number=page_number(request, "page"),
        per_page=PROMISES_PER_PAGE,
    )
    # The search as typed, for the form and the pagination links: the form's own fields only
    # (a link shared with ?fbclid=… makes the same page, and the same cache key).
    query = urlencode(
        [(name, value) for name in SearchForm.base_fields for value in request.GET.getlist(name)]
    )

    def context() -> dict:
        (page.object_list,) = selectors.cards(page.object_list)
        hints = _nothing_found(data) if data.get("q") and not page.paginator.count else {}
        near = {"near": data["near"], "near_place": data["near_place"]} if data.get("near") else {}
        return {
            "form": form or SearchForm(),
            "page": page,
            "query": query,
            # Prévenez-moi: the search's filters that an alert keeps (promises.alerts).
            "alert_fields": alerts.fields_of(request.GET) if data else [],
            **hints,
            **near,
        }

    if data.get("q") or data.get("near"):
        # A search is rarely typed twice the same way: not worth a cache entry. Nor a
        # position, which must not be kept anywhere.
        return render(request, "promises/list.html", context())
    key = (
        caching.reader(request.user),
        query,
        page.number,
        page.paginator.count,
        caching.versions(page.object_list),
    )
    return render_cached(request, "promises/list.html", key=key, context=context)
