"""Co-initiators: the initiators page and its invitations, leaving the lead, accepting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit

from .. import selectors, services
from ..forms import InvitationForm
from ..models import Invitation
from ..permissions import get_access, get_promise


@login_required
@rate_limit("invite")
def initiators(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiators and pending invitations; the invitation form."""
    access = get_access(request, slug, needs="can_manage_initiators")
    promise = access.promise
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access.can_invite:
            raise PermissionDenied
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                services.invitation_create(promise=promise, invited_by=request.user, email=email)
            except Refusal as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"Invitation envoyée à {email}.")
                return redirect("promises:initiators", slug=promise.slug)
    return render(
        request,
        "promises/initiators.html",
        {
            "promise": promise,
            "access": access,
            "form": form,
            "initiators": selectors.promise_initiators(promise).order_by("activated_at"),
            "invitations": selectors.invitations_pending(promise),
        },
    )


@login_required
def initiator_leave(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="is_initiator")
    promise = access.promise
    if request.method == "POST":
        try:
            services.initiator_leave(promise=promise, user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
            return redirect("promises:initiators", slug=promise.slug)
        messages.success(request, "Vous ne menez plus cette promesse.")
        return redirect(promise)
    return render(request, "promises/confirm_leave.html", {"promise": promise, "access": access})


def invitation_accept(request: HttpRequest, slug: str, invitation: str) -> HttpResponse:
    """The link of the invitation email. The link is the credential: any logged-in member who
    holds it may accept it, once; the page says to which address it was sent."""
    promise = get_promise(request, slug)
    invitation = get_object_or_404(
        Invitation.objects.select_related("invited_by"), promise=promise, token=invitation
    )
    if not request.user.is_authenticated:
        messages.info(request, "Connectez-vous, ou créez votre compte, pour accepter l'invitation.")
        return redirect_to_login(request.get_full_path())
    problem = services.invitation_refusal(invitation=invitation, promise=promise, user=request.user)
    if request.method == "POST":
        if problem:
            messages.error(request, problem)
            return redirect(promise)
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Bienvenue ! Vous menez maintenant cette promesse.")
        return redirect(promise)
    return render(
        request,
        "promises/invitation.html",
        {
            "promise": promise,
            "invitation": invitation,
            "problem": problem,
            "other_address": invitation.email.lower() != request.user.email.lower(),
        },
    )
