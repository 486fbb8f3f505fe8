"""Je promets, Retirer ma promesse, Abandonner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit

from .. import selectors, services, sharing
from ..forms import AbandonForm
from ..permissions import get_access


@require_POST
@rate_limit("pledge")
def pledge(request: HttpRequest, slug: str) -> HttpResponse:
    # Whether this visitor may see it, and its id: the service reads it again under its lock.
    promise = selectors.visible_promise_version(request.user, slug)
    if promise is None:
        raise Http404
    page = reverse("promises:detail", args=[slug])
    if not request.user.is_authenticated:
        services.pledge_intent_store(session=request.session, promise=promise)
        messages.info(
            request,
            "Créez votre compte (ou connectez-vous) : votre promesse sera comptée dès que "
            "votre adresse e-mail sera confirmée.",
        )
        return redirect(f"{reverse('account_signup')}?{urlencode({'next': page})}")
    try:
        pledge = services.pledge_create(
            promise=promise,
            user=request.user,
            arrival=sharing.arrival_take(request.session, promise),
        )
    except Refusal as error:
        messages.error(request, str(error))
    else:
        if pledge.is_pending:
            messages.warning(
                request,
                "Votre promesse sera comptée dès que vous aurez confirmé votre adresse e-mail.",
            )
        else:
            messages.success(request, sharing.pledge_counted_message(pledge.promise))
    return redirect(page)


@login_required
def pledge_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_withdraw")
    if request.method == "POST":
        try:
            services.pledge_withdraw(promise=access.promise, user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre promesse est retirée.")
        return redirect(access.promise)
    return render(request, "promises/confirm_withdraw.html", {"promise": access.promise})


@login_required
def pledge_abandon(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_abandon")
    form = AbandonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_abandon(
                promise=access.promise, user=request.user, reason=form.cleaned_data["reason"]
            )
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre abandon est enregistré. Merci de l'avoir dit.")
        return redirect(access.promise)
    return render(
        request, "promises/confirm_abandon.html", {"promise": access.promise, "form": form}
    )
