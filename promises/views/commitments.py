"""A sponsor's commitment: an organisation's admin proposes it and may withdraw it (the page
/promesses/<slug>/engagement/), the initiators accept or refuse it from the promise page
(promises.commitments holds the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit
from organisations.access import OrganisationAccess

from .. import commitments
from ..models import Commitment, Promise
from ..permissions import PromiseAccess, get_access


def _public_access(request: HttpRequest, slug: str) -> PromiseAccess:
    """The promise if this visitor may see it and it is public: a promise for an
    organisation's members only has no commitments (404, as for a missing page)."""
    access = get_access(request, slug)
    if access.promise.visibility != Promise.Visibility.PUBLIC:
        raise Http404("Pas d'engagement pour une promesse réservée aux membres.")
    return access


@login_required
@rate_limit("edit")
def commitment_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """For admins of organisations: their organisations' commitments on this promise, with
    what they may withdraw, and the form to propose one."""
    access = _public_access(request, slug)
    promise = access.promise
    organisations = commitments.admin_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(commitments.NOT_ADMIN)
    theirs = list(
        Commitment.objects.filter(promise=promise, organisation__in=organisations)
        .select_related("organisation")
        .order_by("-proposed_at", "-pk")
    )
    engaged = {c.organisation_id for c in theirs if c.is_live}
    free = organisations.exclude(pk__in=engaged)
    open_to_sponsors = commitments.sponsorable(promise)
    form = commitments.CommitmentForm(
        request.POST if request.method == "POST" else None, organisations=free
    )
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        if chosen.isdigit() and not organisations.filter(pk=int(chosen)).exists():
            # An organisation this person does not administer: a forged form, not a mistake.
            raise PermissionDenied(commitments.NOT_ADMIN)
        if not open_to_sponsors:
            messages.error(request, commitments.NOT_OPEN)
            return redirect(promise)
        if form.is_valid():
            data = form.cleaned_data
            try:
                commitments.commitment_propose(
                    organisation=data["organisation"],
                    promise=promise,
                    user=request.user,
                    text=data["text"],
                    amount=data["amount"],
                    unit=data["unit"],
                    cap=data["cap"],
                )
            except Refusal as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"L'engagement de {data['organisation'].name} est proposé aux initiateurs : "
                    "il sera affiché sur la promesse dès qu'ils l'auront accepté.",
                )
                return redirect(promise)
    return render(
        request,
        "promises/commitment_form.html",
        {
            "promise": promise,
            "access": access,
            "form": form,
            "theirs": theirs,
            "can_propose": open_to_sponsors and free.exists(),
            "open_to_sponsors": open_to_sponsors,
        },
    )


def _commitment(access: PromiseAccess, pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("organisation"), pk=pk, promise=access.promise
    )


def _decide(request: HttpRequest, slug: str, pk: int, *, accept: bool) -> HttpResponse:
    access = get_access(request, slug, needs="is_initiator")
    commitment = _commitment(access, pk)
    service = commitments.commitment_accept if accept else commitments.commitment_refuse
    try:
        service(commitment=commitment, user=request.user)
    except Refusal as error:
        messages.error(request, str(error))
    else:
        name = commitment.organisation.name
        messages.success(
            request,
            f"Engagement de {name} accepté : il est affiché sur la promesse."
            if accept
            else f"Engagement de {name} refusé : il ne sera pas affiché.",
        )
    return redirect(access.promise)


@require_POST
@login_required
def commitment_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _decide(request, slug, pk, accept=True)


@require_POST
@login_required
def commitment_refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _decide(request, slug, pk, accept=False)


@require_POST
@login_required
def commitment_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = _public_access(request, slug)
    commitment = _commitment(access, pk)
    if not OrganisationAccess.of(commitment.organisation, request.user).can_manage:
        raise PermissionDenied(commitments.NOT_ADMIN)
    try:
        commitments.commitment_withdraw(commitment=commitment, user=request.user)
    except Refusal as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"L'engagement de {commitment.organisation.name} est retiré de la promesse."
        )
    return redirect("promises:commitment", slug=access.promise.slug)
