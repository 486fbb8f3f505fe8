"""Launch, edit, cancel and relaunch a promise."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from onpromet import honeypot
from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit
from organisations.access import OrganisationAccess

from .. import forms, services
from ..forms import PromiseEditForm, PromiseForm
from ..models import Promise
from ..permissions import get_access


@login_required
@rate_limit("promise", successes_only=True)
def promise_create(request: HttpRequest) -> HttpResponse:
    form = PromiseForm(
        request.POST if request.method == "POST" else None,
        leads=forms.organisations_led(request.user),
    )
    if honeypot.caught(form):
        # A bot: told nothing useful, and nothing is created.
        messages.info(request, "Merci, votre envoi a bien été reçu.")
        return redirect("home")
    if request.method == "POST" and form.is_valid():
        try:
            promise = services.promise_create(created_by=request.user, **form.cleaned_data)
        except Refusal as error:  # no longer animateur of the organisation, since the form
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Votre promesse est lancée ! Partagez-la pour la faire connaître."
            )
            return redirect(promise)
    return render(request, "promises/form.html", {"form": form})


@login_required
@rate_limit("edit")
def promise_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_edit")
    promise = access.promise
    form = PromiseEditForm(
        request.POST if request.method == "POST" else None,
        instance=promise,
        terms_locked=promise.terms_locked(),
        may_set_visibility=bool(promise.organisation)
        and OrganisationAccess.of(promise.organisation, request.user).can_launch,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_update(promise=promise, data=form.cleaned_data, by=request.user)
        except Refusal as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Votre promesse est mise à jour.")
            return redirect(promise)
    return render(request, "promises/form.html", {"form": form, "promise": promise})


@login_required
def promise_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_cancel")
    if request.method == "POST":
        try:
            services.promise_cancel(promise=access.promise)
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La promesse est annulée.")
        return redirect(access.promise)
    return render(request, "promises/confirm_cancel.html", {"promise": access.promise})


def _relaunch_initial(promise: Promise) -> dict:
    """The failed promise's terms, with dates still to come."""
    today = timezone.localdate()
    span = promise.deadline - promise.created_at
    days = min(max(span.days, 7), forms.DEADLINE_MAX_DAYS)
    deadline = today + datetime.timedelta(days=days)
    upcoming = promise.action_date and promise.action_date > deadline
    return {
        "action": promise.action,
        "objective": promise.objective,
        "deadline": deadline,
        "action_date": promise.action_date if upcoming else None,
        "action_end_date": promise.action_end_date if upcoming else None,
        "action_weekday": promise.action_weekday if upcoming else None,
        "action_schedule": promise.action_schedule,
        "description": promise.description,
        "themes": list(promise.themes.all()),
        "city": promise.city,
        "meeting_point": promise.meeting_point,
        "duration": promise.duration,
        "format": promise.format,
        "organisation": promise.organisation,
        "visibility": promise.visibility,
    }


@login_required
@rate_limit("promise", successes_only=True)
def promise_relaunch(request: HttpRequest, slug: str) -> HttpResponse:
    """Relancer: the create form, pre-filled from the failed promise."""
    access = get_access(request, slug, needs="can_relaunch")
    failed = access.promise
    form = PromiseForm(
        request.POST if request.method == "POST" else None,
        initial=_relaunch_initial(failed),
        leads=forms.organisations_led(request.user),
    )
    del form.fields[honeypot.HONEYPOT_NAME]  # only initiators come here: no bots to catch
    if request.method == "POST" and form.is_valid():
        try:
            relaunch = services.promise_relaunch(
                promise=failed, created_by=request.user, data=form.cleaned_data
            )
        except Refusal as error:
            messages.error(request, str(error))
            return redirect(failed)
        messages.success(
            request,
            "Votre promesse est relancée. Les anciens participants sont invités par e-mail à "
            "promettre à nouveau.",
        )
        return redirect(relaunch)
    return render(request, "promises/form.html", {"form": form, "relaunch_of": failed})
