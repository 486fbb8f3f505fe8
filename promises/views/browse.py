"""Finding a promise: the home page and /promesses/, with search, filters and sorting."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..forms import SearchForm

PROMISES_PER_PAGE = 12


def home(request: HttpRequest) -> HttpResponse:
    closest, newest = selectors.home_promises(user=request.user)
    return render(request, "home.html", {"closest": closest, "newest": newest})


def promise_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    promises = selectors.promises_search(
        user=request.user,
        q=data.get("q", ""),
        state=data.get("etat", ""),
        theme=data.get("theme"),
        sort=data.get("tri", ""),
    )
    page = Paginator(promises, PROMISES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "promises/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
