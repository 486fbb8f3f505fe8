"""The promise page."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..forms import AbandonForm
from ..models import Promise
from ..permissions import get_access

PARTICIPANTS_PER_PAGE = 30


def promise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        access = get_access(request, slug)
    except Http404:
        if Promise.objects.filter(slug=slug, is_hidden=True).exists():
            # A shared link to a hidden promise explains why it is gone, and shows nothing else.
            return render(request, "promises/hidden.html", status=404)
        raise
    promise = access.promise
    paginator = Paginator(selectors.promise_participants(promise), PARTICIPANTS_PER_PAGE)
    # The counter kept on the promise is that COUNT(*), exact under the promise lock: no need
    # to count every pledge of a promise that succeeds.
    paginator.count = promise.pledge_count
    participants = paginator.get_page(request.GET.get("participants"))
    return render(
        request,
        "promises/detail.html",
        {
            "promise": promise,
            "access": access,
            "initiators": list(selectors.promise_initiators(promise).order_by("activated_at")),
            "participants": participants,
            "abandon_form": AbandonForm(),
        },
    )
