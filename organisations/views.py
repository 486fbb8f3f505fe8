"""Managing an organisation: mine, create, settings, members (roles, removal, invitations, the
join link), joining (invitation, join link, email domain) and leaving. Its page, with its
promises, is the promises app's (promises.views.organisations)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit
from onpromet.site_url import absolute

from . import services
from .access import OrganisationAccess
from .forms import MemberInvitationForm, OrganisationForm, RoleForm
from .models import Invitation, Membership, Organisation

# Admins first, then animateurs, then members (the members page's order).
ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Membership.Role.values)),
    output_field=IntegerField(),
)


def get_access(
    request: HttpRequest, slug: str, *, needs: str | None = None, active_only: bool = True
) -> OrganisationAccess:
    """The visitor's access to the organisation `slug`: 404 if there is none (or it was
    deactivated), 403 if the visitor lacks `needs` (an OrganisationAccess property)."""
    organisations = Organisation.objects.all()
    if active_only:
        organisations = organisations.filter(is_active=True)
    access = OrganisationAccess.of(get_object_or_404(organisations, slug=slug), request.user)
    if needs and not getattr(access, needs):
        raise PermissionDenied
    return access


def _tell(request: HttpRequest, sentences: list[str]) -> None:
    """What the promises app's leave hooks say happened (pledges withdrawn…)."""
    for sentence in sentences:
        messages.info(request, sentence)


# --- Mine, create, settings -------------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(request, "organisations/mine.html", {"memberships": memberships})


@login_required
@rate_limit("organisation", successes_only=True)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(user=request.user, **form.service_fields())
        messages.success(request, f"{organisation.name} est créée : vous en êtes l'admin.")
        _domain_news(request, organisation)
        return redirect("organisation", organisation.slug)
    return render(request, "organisations/form.html", {"form": form})


def _domain_news(request: HttpRequest, organisation: Organisation) -> None:
    if organisation.email_domain and organisation.domain_verified_at is None:
        messages.info(
            request,
            f"Le domaine @{organisation.email_domain} comptera dès que vous aurez confirmé une "
            f"adresse en @{organisation.email_domain} dans votre compte.",
        )


@login_required
@rate_limit("edit", successes_only=True)
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_manage")
    organisation = access.organisation
    # The form works on a copy: a ModelForm writes what it validates into its instance, and
    # organisation_update must see the stored domain to know whether it changed.
    form = OrganisationForm(
        request.POST or None, request.FILES or None, instance=copy.copy(organisation)
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, by=request.user, **form.service_fields()
        )
        messages.success(request, "Les réglages sont enregistrés.")
        _domain_news(request, organisation)
        return redirect("organisations:settings", organisation.slug)
    return render(
        request,
        "organisations/settings.html",
        {"organisation": organisation, "access": access, "form": form},
    )


# --- Members, roles, invitations, the join link ---------------------------------------------


@login_required
@rate_limit("organisation_invite")
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Every member sees who is in it and their role; admins manage them, invite by email and
    share the join link (the invitation form is this page's POST)."""
    access = get_access(request, slug, needs="is_member")
    organisation = access.organisation
    form = MemberInvitationForm(request.POST or None)
    if request.method == "POST":
        if not access.can_manage:
            raise PermissionDenied
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                services.invitation_create(
                    organisation=organisation,
                    by=request.user,
                    email=email,
                    role=form.cleaned_data["role"],
                )
            except Refusal as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"Invitation envoyée à {email}.")
                return redirect("organisations:members", organisation.slug)
    people = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .annotate(rank=ROLE_ORDER)
        .order_by("rank", "joined_at", "pk")
    )
    context = {
        "organisation": organisation,
        "access": access,
        "memberships": people,
        "roles": Membership.Role.choices,
    }
    if access.can_manage:
        context |= {
            "form": form,
            "invitations": Invitation.objects.filter(
                organisation=organisation, accepted_at__isnull=True
            )
            .select_related("invited_by")
            .order_by("-created_at"),
            "join_url": absolute(
                reverse(
                    "organisations:join_link", args=[organisation.slug, organisation.join_token]
                )
            ),
        }
    return render(request, "organisations/members.html", context)


def _member_of(access: OrganisationAccess, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=access.organisation,
    )


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_access(request, slug, needs="can_manage")
    membership = _member_of(access, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["role"][0])
    else:
        try:
            services.role_set(membership=membership, role=form.cleaned_data["role"])
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{membership.user.display_name} a maintenant le rôle "
                f"« {membership.get_role_display()} ».",
            )
    return redirect("organisations:members", access.organisation.slug)


@login_required
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An admin removes a member (confirmation page, then POST). Oneself: that is leaving."""
    access = get_access(request, slug, needs="can_manage")
    organisation = access.organisation
    membership = _member_of(access, pk)
    if membership.user_id == request.user.pk:
        return redirect("organisations:leave", organisation.slug)
    if request.method == "POST":
        told = services.member_leave(organisation=organisation, user=membership.user, forced=True)
        messages.success(
            request, f"{membership.user.display_name} ne fait plus partie de {organisation.name}."
        )
        _tell(request, told)
        return redirect("organisations:members", organisation.slug)
    return render(
        request,
        "organisations/confirm_remove.html",
        {"organisation": organisation, "access": access, "membership": membership},
    )


@login_required
@require_POST
def invitation_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_access(request, slug, needs="can_manage")
    invitation = get_object_or_404(
        Invitation, pk=pk, organisation=access.organisation, accepted_at__isnull=True
    )
    services.invitation_cancel(invitation=invitation)
    messages.success(request, f"L'invitation envoyée à {invitation.email} est annulée.")
    return redirect("organisations:members", access.organisation.slug)


@login_required
def join_link_reset(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_manage")
    organisation = access.organisation
    if request.method == "POST":
        services.join_link_reset(organisation=organisation)
        messages.success(
            request, "Le lien d'adhésion est changé : l'ancien ne permet plus de rejoindre."
        )
        return redirect("organisations:members", organisation.slug)
    return render(
        request,
        "organisations/confirm_reset_link.html",
        {"organisation": organisation, "access": access},
    )


# --- Joining ------------------------------------------------------------------------------


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    organisation = membership.organisation
    messages.success(
        request,
        f"Bienvenue dans {organisation.name} ! Votre rôle : « {membership.get_role_display()} ».",
    )
    return redirect("organisation", organisation.slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation email: who invites to what, and a button. The link is the
    credential: whoever holds it may accept it, once, logged in (a visitor is sent to log in
    or sign up, and back here)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by", "accepted_by"),
        token=token,
        organisation__is_active=True,
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
            return redirect("organisations:invitation", token)
        return _welcome(request, membership)
    used_by_me = invitation.accepted_at is not None and invitation.accepted_by_id == (
        request.user.pk
    )
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "used": invitation.accepted_at is not None and not used_by_me,
            "used_by_me": used_by_me,
            "other_address": request.user.is_authenticated
            and invitation.email.lower() != request.user.email.lower(),
        },
    )


def join_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The join link an admin shares: anyone who holds it joins as a member."""
    access = get_access(request, slug)
    organisation = access.organisation
    context = {"organisation": organisation, "access": access}
    if token != organisation.join_token:
        context["problem"] = "Ce lien d'adhésion n'est plus valable : demandez-en un nouveau."
        return render(request, "organisations/join.html", context, status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access.is_member:
            messages.info(request, f"Vous êtes déjà membre de {organisation.name}.")
            return redirect("organisation", organisation.slug)
        try:
            membership = services.join_by_link(
                organisation=organisation, token=token, user=request.user
            )
        except Refusal as error:
            messages.error(request, str(error))
            return redirect("organisation", organisation.slug)
        return _welcome(request, membership)
    return render(request, "organisations/join.html", context)


def join_by_domain(request: HttpRequest, slug: str) -> HttpResponse:
    """Companies: whoever confirmed an address on the organisation's proven domain joins."""
    access = get_access(request, slug)
    organisation = access.organisation
    if not organisation.joins_by_domain:
        return render(
            request,
            "organisations/join.html",
            {
                "organisation": organisation,
                "access": access,
                "problem": "Cette organisation n'accepte pas d'adhésion par adresse e-mail : "
                "on la rejoint sur invitation de ses admins.",
            },
            status=404,
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access.is_member:
            messages.info(request, f"Vous êtes déjà membre de {organisation.name}.")
            return redirect("organisation", organisation.slug)
        try:
            membership = services.join_by_domain(organisation=organisation, user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
            return redirect("organisations:join_domain", organisation.slug)
        return _welcome(request, membership)
    return render(
        request,
        "organisations/join.html",
        {
            "organisation": organisation,
            "access": access,
            "by_domain": True,
            "qualifies": request.user.is_authenticated
            and services.confirmed_on_domain(request.user, organisation.email_domain),
        },
    )


# --- Leaving ------------------------------------------------------------------------------


@login_required
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirmation page, then POST. The last admin is refused. Either way the POST leads to
    the organisation's page (or, once it is deactivated, to my organisations)."""
    access = get_access(request, slug, needs="is_member", active_only=False)
    organisation = access.organisation
    back = (
        reverse("organisation", args=[organisation.slug])
        if organisation.is_active
        else reverse("organisations:mine")
    )
    if request.method == "POST":
        try:
            told = services.member_leave(organisation=organisation, user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Vous avez quitté {organisation.name}.")
            _tell(request, told)
        return redirect(back)
    last_admin = (
        access.can_manage
        and not Membership.objects.admins()
        .filter(organisation=organisation)
        .exclude(user=request.user)
        .exists()
    )
    return render(
        request,
        "organisations/confirm_leave.html",
        {"organisation": organisation, "access": access, "last_admin": last_admin, "back": back},
    )
