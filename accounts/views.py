from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onpromet.ratelimit import rate_limit
from promises.figures import Figures, abandon_reasons, promises_figures
from promises.forecast import Forecast, promise_forecast
from promises.models import Pledge, Promise
from promises.permissions import PromiseAccess

from .forms import ProfileForm

LED_PER_PAGE = 10


@dataclass(frozen=True)
class Led:
    """A promise I lead, as the dashboard shows it."""

    promise: Promise
    access: PromiseAccess
    figures: Figures
    forecast: Forecast
    abandon_reasons: list[str]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """/moi/: the promises I lead, each with its figures, chart, forecast and the reasons of
    those who abandoned (anonymous); then the promises I joined. A constant number of
    queries: the figures of a page of promises are computed together."""
    pledges = (
        Pledge.objects.filter(user=request.user)
        .exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("promise", "promise__created_by")
        .order_by("-created_at", "-pk")
    )
    led_page = Paginator(
        pledges.filter(is_initiator=True, status=Pledge.Status.ACTIVE), LED_PER_PAGE
    ).get_page(request.GET.get("lancees"))
    promises = [pledge.promise for pledge in led_page]
    figures = promises_figures(promises)
    reasons = abandon_reasons(promises)
    led = [
        Led(
            promise=pledge.promise,
            access=PromiseAccess(promise=pledge.promise, user=request.user, pledge=pledge),
            figures=figures[pledge.promise_id],
            forecast=promise_forecast(figures[pledge.promise_id]),
            abandon_reasons=reasons[pledge.promise_id],
        )
        for pledge in led_page
    ]
    return render(
        request,
        "accounts/dashboard.html",
        {"led": led, "led_page": led_page, "joined": pledges.filter(is_initiator=False)},
    )


@login_required
@rate_limit("edit")
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
