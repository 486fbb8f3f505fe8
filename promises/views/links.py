"""The short links (promises/sharing.py says what they are and what they credit)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from .. import sharing
from ..models import Pledge, Promise


def _promise(request: HttpRequest, code: str) -> Promise:
    """The promise of a short code, if this visitor may see it: a hidden promise's short link
    leads nowhere, like its pictures."""
    return get_object_or_404(
        Promise.objects.visible_to(request.user).listed().only("pk", "slug"), short_code=code
    )


@require_safe
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """/p/<code>/: the promise. A permanent redirect: the code never changes."""
    return redirect(_promise(request, code), permanent=True)


@require_safe
def share_link(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """/p/<code>/<token>/: a participant's link. The visitor is sent to the promise, and
    remembered as brought by that participant if they pledge. Any token leads to the promise
    in the same way, so that trying tokens teaches nothing; and the redirect is temporary, so
    that a browser asks again (and the first link followed is the one remembered)."""
    promise = _promise(request, code)
    sharer = (
        Pledge.objects.filter(promise=promise, share_token=token)
        .values_list("pk", flat=True)
        .first()
    )
    if sharer is not None:
        sharing.arrival_record(
            request.session, promise, sharing.Arrival(Pledge.Source.LINK, sharer)
        )
    return redirect(promise)
