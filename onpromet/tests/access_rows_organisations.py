"""The access matrix's rows for managing an organisation (organisations.urls), run by
test_gate_access.py. ACME (World.org) has its admin, animateur and member; other_admin runs
another organisation and has no say in ACME's."""

from django.urls import reverse
from django.utils import timezone

from onpromet.tests.access import (
    FORBIDDEN,
    IGNORED,
    LOGIN,
    MEMBERS_AND_ANONYMOUS,
    MEMBERS_ONLY,
    OK,
    Row,
    World,
    _cells,
)
from organisations.models import Invitation, Membership, Organisation

# Its members see who is in it and may leave; its admins manage it.
ORG_MEMBERS = _cells(anonymous=LOGIN, others=FORBIDDEN, member=OK, animateur=OK, org_admin=OK)
ORG_ADMIN_ONLY = _cells(anonymous=LOGIN, others=FORBIDDEN, org_admin=OK)
# Leaving: the last admin is refused (sent back to the page, nothing changed).
LEAVERS = {**ORG_MEMBERS, "org_admin": IGNORED}


def _url(name: str):
    return lambda w: reverse(f"organisations:{name}", args=[w.org.slug])


def _org_page(w: World) -> str:
    return reverse("organisation", args=[w.org.slug])


def _members(w: World) -> str:
    return reverse("organisations:members", args=[w.org.slug])


def _is_member(w: World, visitor: str) -> bool:
    return Membership.objects.filter(organisation=w.org, user=w.users[visitor]).exists()


def _member_url(name: str):
    def url(w: World) -> str:
        membership = Membership.objects.get(organisation=w.org, user=w.users["member"])
        return reverse(f"organisations:{name}", args=[w.org.slug, membership.pk])

    return url


def _invitation(w: World) -> Invitation:
    """An invitation of ACME's admin (made by the row's URL, before stored() is read)."""
    return Invitation.objects.filter(organisation=w.org).first() or Invitation.objects.create(
        organisation=w.org,
        email="elsa@example.org",
        role=Membership.Role.ANIMATEUR,
        invited_by=w.users["org_admin"],
    )


def _invitation_url(w: World) -> str:
    return reverse("organisations:invitation", args=[_invitation(w).token])


def _invitation_cancel_url(w: World) -> str:
    return reverse("organisations:invitation_cancel", args=[w.org.slug, _invitation(w).pk])


def _join_link_url(w: World) -> str:
    return reverse("organisations:join_link", args=[w.org.slug, w.org.join_token])


def _join_domain_url(w: World) -> str:
    """ACME's domain proven: the cast's confirmed addresses are all at example.org."""
    Organisation.objects.filter(pk=w.org.pk).update(
        email_domain="example.org", domain_verified_at=timezone.now()
    )
    return reverse("organisations:join_domain", args=[w.org.slug])


ROWS = [
    Row("my organisations", "GET", lambda w: reverse("organisations:mine"), MEMBERS_ONLY),
    Row(
        "organisation create form",
        "GET",
        lambda w: reverse("organisations:create"),
        MEMBERS_ONLY,
    ),
    Row(
        "organisation create",
        "POST",
        lambda w: reverse("organisations:create"),
        MEMBERS_ONLY,
        data=lambda w: {"name": "Les Semeurs", "kind": Organisation.Kind.ASSOCIATION},
        to=lambda w: Organisation.objects.get(name="Les Semeurs").get_absolute_url(),
        done=lambda w, visitor: Membership.objects.filter(
            organisation__name="Les Semeurs", user=w.users[visitor], role=Membership.Role.ADMIN
        ).exists(),
    ),
    Row("organisation settings", "GET", _url("settings"), ORG_ADMIN_ONLY),
    Row(
        "organisation settings save",
        "POST",
        _url("settings"),
        ORG_ADMIN_ONLY,
        data=lambda w: {"name": "ACME SA", "kind": Organisation.Kind.COMPANY},
        to=_url("settings"),
        done=lambda w, visitor: Organisation.objects.get(pk=w.org.pk).name == "ACME SA",
    ),
    Row("organisation members", "GET", _url("members"), ORG_MEMBERS),
    Row(
        "organisation invite",
        "POST",
        _url("members"),
        ORG_ADMIN_ONLY,
        data=lambda w: {"email": "elsa@example.org", "role": Membership.Role.MEMBER},
        to=_members,
        done=lambda w, visitor: Invitation.objects.filter(
            organisation=w.org, email="elsa@example.org"
        ).exists(),
    ),
    Row(
        "organisation member role",
        "POST",
        _member_url("member_role"),
        ORG_ADMIN_ONLY,
        data=lambda w: {"role": Membership.Role.ANIMATEUR},
        to=_members,
        done=lambda w, visitor: (
            Membership.objects.get(organisation=w.org, user=w.users["member"]).role
            == Membership.Role.ANIMATEUR
        ),
    ),
    Row(
        "organisation member remove confirmation",
        "GET",
        _member_url("member_remove"),
        ORG_ADMIN_ONLY,
    ),
    Row(
        "organisation member remove",
        "POST",
        _member_url("member_remove"),
        ORG_ADMIN_ONLY,
        to=_members,
        done=lambda w, visitor: not _is_member(w, "member"),
    ),
    Row(
        "organisation invitation cancel",
        "POST",
        _invitation_cancel_url,
        ORG_ADMIN_ONLY,
        to=_members,
        done=lambda w, visitor: not Invitation.objects.filter(organisation=w.org).exists(),
    ),
    Row(
        "organisation join link reset confirmation",
        "GET",
        _url("join_link_reset"),
        ORG_ADMIN_ONLY,
    ),
    Row(
        "organisation join link reset",
        "POST",
        _url("join_link_reset"),
        ORG_ADMIN_ONLY,
        to=_members,
        done=lambda w, visitor: (
            Organisation.objects.get(pk=w.org.pk).join_token != w.org.join_token
        ),
    ),
    # The links are credentials: whoever holds one sees it, and, logged in, joins with it.
    Row("organisation invitation", "GET", _invitation_url, MEMBERS_AND_ANONYMOUS),
    Row(
        "organisation invitation accept",
        "POST",
        _invitation_url,
        MEMBERS_ONLY,
        to=_org_page,
        done=_is_member,
    ),
    Row("organisation join link", "GET", _join_link_url, MEMBERS_AND_ANONYMOUS),
    Row(
        "organisation join by link",
        "POST",
        _join_link_url,
        MEMBERS_ONLY,
        to=_org_page,
        done=_is_member,
    ),
    Row("organisation join by domain page", "GET", _join_domain_url, MEMBERS_AND_ANONYMOUS),
    Row(
        "organisation join by domain",
        "POST",
        _join_domain_url,
        MEMBERS_ONLY,
        to=_org_page,
        done=_is_member,
    ),
    Row("organisation leave confirmation", "GET", _url("leave"), ORG_MEMBERS),
    Row(
        "organisation leave",
        "POST",
        _url("leave"),
        LEAVERS,
        to=_org_page,
        done=lambda w, visitor: not _is_member(w, visitor),
    ),
]
