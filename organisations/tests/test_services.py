"""The organisations' rules, in their services: the email domain (a confirmed address exactly
on it joins; nothing else does; one organisation per domain), the single-use invitation, even
under two concurrent accepts, and the last admin, who can neither leave nor be demoted."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from organisations import services
from organisations.models import Invitation, Membership, Organisation
from promises.tests.helpers import race

from .factories import member_of, organisation_of


def _with_address(email: str, *, verified: bool = True):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=email, verified=verified)
    return user


# --- The email domain -------------------------------------------------------------------------


def test_it_proves_the_domain_of_an_admin_who_confirmed_an_address_on_it(org_admin):
    acme = organisation_of(org_admin, email_domain=" @ACME.fr ")

    assert acme.email_domain == "acme.fr"
    assert acme.domain_verified_at is not None
    assert acme.joins_by_domain


def test_it_waits_for_an_admin_address_on_the_domain(db):
    admin = UserFactory(email="boss@example.org")
    acme = organisation_of(admin, email_domain="acme.fr")

    assert acme.domain_verified_at is None
    with pytest.raises(Refusal, match="n'accepte pas d'adhésion par adresse e-mail"):
        services.join_by_domain(organisation=acme, user=_with_address("x@acme.fr"))


def test_a_confirmed_address_on_the_domain_joins(org_admin):
    acme = organisation_of(org_admin, email_domain="acme.fr")
    newcomer = _with_address("Zoe@ACME.FR")

    membership = services.join_by_domain(organisation=acme, user=newcomer)

    assert membership.role == Membership.Role.MEMBER
    assert membership.via == Membership.Via.DOMAIN
    assert Membership.objects.filter(organisation=acme, user=newcomer).exists()


@pytest.mark.parametrize(
    "address",
    ["x@acme.fr.evil.com", "x@notacme.fr", "x@mail.acme.fr", "x@acme.fr.", "acme.fr@evil.com"],
)
def test_a_look_alike_domain_does_not_join(org_admin, address):
    acme = organisation_of(org_admin, email_domain="acme.fr")

    with pytest.raises(Refusal, match="Confirmez d'abord une adresse e-mail en @acme.fr"):
        services.join_by_domain(organisation=acme, user=_with_address(address))
    assert Membership.objects.filter(organisation=acme).count() == 1


def test_an_unconfirmed_address_on_the_domain_does_not_join(org_admin):
    acme = organisation_of(org_admin, email_domain="acme.fr")

    with pytest.raises(Refusal):
        services.join_by_domain(organisation=acme, user=_with_address("x@acme.fr", verified=False))


def test_a_domain_proven_by_one_organisation_cannot_be_proven_by_another(org_admin):
    acme = organisation_of(org_admin, email_domain="acme.fr")
    impostor = UserFactory(email="mallory@acme.fr")  # a confirmed address on it, too

    other = organisation_of(impostor, "ACME bis", email_domain="acme.fr")

    assert other.domain_verified_at is None
    assert not services.domain_prove(organisation=other, by=impostor)
    acme.refresh_from_db()
    assert acme.domain_verified_at is not None
    assert Organisation.objects.filter(domain_verified_at__isnull=False).count() == 1


def test_a_member_who_is_not_admin_does_not_prove_the_domain(db):
    boss = UserFactory(email="boss@example.org")
    acme = organisation_of(boss, email_domain="acme.fr")
    employee = member_of(acme, UserFactory(email="bob@acme.fr")).user

    assert not services.domain_prove(organisation=acme, by=employee)


def test_a_new_domain_must_be_proven_again(org_admin):
    acme = organisation_of(org_admin, email_domain="acme.fr")

    services.organisation_update(organisation=acme, by=org_admin, email_domain="acme.com")

    acme.refresh_from_db()
    assert acme.email_domain == "acme.com"
    assert acme.domain_verified_at is None


def test_confirming_an_address_on_the_domain_proves_it(client, db):
    """allauth's email_confirmed signal (organisations.receivers)."""
    boss = UserFactory(email="boss@example.org")
    acme = organisation_of(boss, email_domain="acme.fr")
    address = EmailAddress.objects.create(user=boss, email="boss@acme.fr", verified=False)

    from allauth.account.signals import email_confirmed

    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    acme.refresh_from_db()
    assert acme.domain_verified_at is not None


# --- Invitations --------------------------------------------------------------------------------


def test_it_sends_the_invitation_with_its_link(org_admin, acme, settings):
    settings.SITE_URL = "https://onpromet.example"

    invitation = services.invitation_create(
        organisation=acme, by=org_admin, email=" Elsa@Example.org ", role="animateur"
    )

    [message] = mail.outbox
    assert message.to == ["Elsa@Example.org"]
    assert message.subject == "Alice vous invite à rejoindre ACME sur OnPromet"
    link = f"https://onpromet.example/organisations/invitation/{invitation.token}/"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert link in body
        assert "animateur" in body
    assert "List-Unsubscribe" not in message.extra_headers


def test_only_an_admin_invites(acme, member):
    with pytest.raises(Refusal, match="Seuls les admins"):
        services.invitation_create(
            organisation=acme, by=member, email="x@example.org", role="membre"
        )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_a_second_pending_invitation_and_a_member(org_admin, acme, member):
    services.invitation_create(
        organisation=acme, by=org_admin, email="x@example.org", role="membre"
    )

    with pytest.raises(Refusal, match="attend déjà une réponse"):
        services.invitation_create(
            organisation=acme, by=org_admin, email="X@example.org", role="membre"
        )
    with pytest.raises(Refusal, match="déjà membre"):
        services.invitation_create(
            organisation=acme, by=org_admin, email=member.email.upper(), role="membre"
        )
    assert Invitation.objects.count() == 1


def test_an_invitation_serves_once(org_admin, acme):
    invitation = services.invitation_create(
        organisation=acme, by=org_admin, email="x@example.org", role="animateur"
    )
    first, second = UserFactory(), UserFactory()

    membership = services.invitation_accept(token=invitation.token, user=first)
    assert membership.role == Membership.Role.ANIMATEUR
    # The same person again: nothing new, no error.
    assert services.invitation_accept(token=invitation.token, user=first) == membership
    with pytest.raises(Refusal, match="déjà servi"):
        services.invitation_accept(token=invitation.token, user=second)
    assert not Membership.objects.filter(user=second).exists()


def test_a_cancelled_invitation_no_longer_works(org_admin, acme):
    invitation = services.invitation_create(
        organisation=acme, by=org_admin, email="x@example.org", role="membre"
    )

    services.invitation_cancel(invitation=invitation)

    with pytest.raises(Refusal, match="n'existe pas"):
        services.invitation_accept(token=invitation.token, user=UserFactory())


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_of_one_invitation_make_one_member():
    admin = UserFactory(display_name="Alice")
    acme = organisation_of(admin)
    invitation = services.invitation_create(
        organisation=acme, by=admin, email="x@example.org", role="membre"
    )
    people = UserFactory.create_batch(2)

    errors = race(
        lambda user: services.invitation_accept(token=invitation.token, user=user),
        [(user,) for user in people],
    )

    assert len(errors) == 1
    assert isinstance(errors[0], Refusal)
    assert Membership.objects.filter(organisation=acme, user__in=people).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by in people


# --- The join link ------------------------------------------------------------------------------


def test_the_join_link_joins_until_it_is_reset(acme):
    token = acme.join_token
    services.join_by_link(organisation=acme, token=token, user=UserFactory())

    new_token = services.join_link_reset(organisation=acme)

    assert new_token != token
    with pytest.raises(Refusal, match="n'est plus valable"):
        services.join_by_link(organisation=acme, token=token, user=UserFactory())
    assert Membership.objects.filter(organisation=acme, via=Membership.Via.LINK).count() == 1


def test_a_deactivated_organisation_takes_nobody(acme):
    Organisation.objects.filter(pk=acme.pk).update(is_active=False)
    acme.refresh_from_db()

    with pytest.raises(Refusal, match="plus active"):
        services.join_by_link(organisation=acme, token=acme.join_token, user=UserFactory())


# --- Roles and leaving ------------------------------------------------------------------------


def test_the_last_admin_cannot_leave(org_admin, acme, member):
    with pytest.raises(Refusal, match="dernier admin"):
        services.member_leave(organisation=acme, user=org_admin)
    assert Membership.objects.filter(organisation=acme, user=org_admin).exists()


def test_the_last_admin_cannot_be_demoted(org_admin, acme):
    membership = Membership.objects.get(organisation=acme, user=org_admin)

    with pytest.raises(Refusal, match="au moins un admin"):
        services.role_set(membership=membership, role=Membership.Role.MEMBER)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_an_admin_leaves_once_there_is_another(org_admin, acme, member):
    services.role_set(
        membership=Membership.objects.get(organisation=acme, user=member),
        role=Membership.Role.ADMIN,
    )

    services.member_leave(organisation=acme, user=org_admin)

    assert list(acme.memberships.values_list("user", flat=True)) == [member.pk]


def test_a_member_leaves(acme, member):
    services.member_leave(organisation=acme, user=member)
    assert not Membership.objects.filter(organisation=acme, user=member).exists()
