"""/moi/: the dashboard of the promises I lead and those I joined."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..figures import Figures, Source, abandon_reasons, pledge_sources, promises_figures
from ..forecast import Forecast, promise_forecast
from ..models import Promise
from ..permissions import PromiseAccess

LED_PER_PAGE = 10


@dataclass(frozen=True)
class Led:
    """A promise I lead, as the dashboard shows it."""

    promise: Promise
    access: PromiseAccess
    figures: Figures
    forecast: Forecast
    abandon_reasons: list[str]
    sources: list[Source]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The promises I lead, each with its figures, chart, forecast, the reasons of those who
    abandoned (anonymous) and where the participants came from; then the promises I joined.
    A constant number of queries: the figures of a page of promises are computed together."""
    led_page = Paginator(selectors.dashboard_led(user=request.user), LED_PER_PAGE).get_page(
        request.GET.get("lancees")
    )
    promises = [pledge.promise for pledge in led_page]
    figures = promises_figures(promises)
    reasons = abandon_reasons(promises)
    sources = pledge_sources(promises)
    led = [
        Led(
            promise=pledge.promise,
            access=PromiseAccess(promise=pledge.promise, user=request.user, pledge=pledge),
            figures=figures[pledge.promise_id],
            forecast=promise_forecast(figures[pledge.promise_id]),
            abandon_reasons=reasons[pledge.promise_id],
            sources=sources[pledge.promise_id],
        )
        for pledge in led_page
    ]
    return render(
        request,
        "promises/dashboard.html",
        {"led": led, "led_page": led_page, "joined": selectors.dashboard_joined(user=request.user)},
    )
