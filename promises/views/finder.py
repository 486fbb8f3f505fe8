"""/agir/: the action finder (promises/finder.py)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from onpromet.pagecache import page_number

from .. import finder, selectors
from ..forms import FinderForm
from .browse import asks_position

RESULTS_PER_PAGE = 12


@asks_position
def action_finder(request: HttpRequest) -> HttpResponse:
    """The questions; once answered (any of them, even "peu importe"), the results below,
    from a URL that can be shared. The position, if given, is a parameter of the query only."""
    form = FinderForm(request.GET or None)
    page, near = None, None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        answers = form.answers(themes=data["theme"])
        near = data["near"]
        results = selectors.finder_results(request.user, answers, near=near)
        page = Paginator(results, RESULTS_PER_PAGE)
        page = page.get_page(page_number(request, "page"))
        (full,) = selectors.cards(page.object_list)
        page.object_list = [(promise, finder.reasons(promise)) for promise in full]
    # The answers as typed, for the pagination links (the position is not repeated there).
    query = urlencode(
        [
            (name, value)
            for name in FinderForm.base_fields
            if name not in ("lat", "lon")
            for value in request.GET.getlist(name)
        ]
    )
    return render(
        request,
        "promises/finder.html",
        {"form": form, "page": page, "query": query, "near": near},
    )
