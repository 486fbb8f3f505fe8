"""Prévenez-moi: save the search of /promesses/ as an alert (promises.alerts), and delete one
from the email preferences, where the alerts are listed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from onpromet.errors import Refusal

from .. import alerts


@require_POST
@login_required
def alert_create(request: HttpRequest) -> HttpResponse:
    # The search's fields come as the form's hidden inputs: what the visitor sees is saved.
    search_url = reverse("promises:list") + "?" + alerts.query_of(request.POST)
    try:
        alert = alerts.alert_create(user=request.user, data=request.POST)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect(search_url)
    messages.success(
        request,
        f"C'est noté : nous vous écrirons quand de nouvelles promesses répondront à "
        f"{alert.label}. Vos alertes sont dans vos préférences d'e-mails.",
    )
    return redirect(reverse("promises:list") + "?" + alert.query)


@require_POST
@login_required
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not alerts.alert_delete(user=request.user, alert_id=pk):
        raise Http404("Cette alerte n'existe pas.")
    messages.success(request, "L'alerte est supprimée : vous ne recevrez plus ses promesses.")
    return redirect("notifications:preferences")
