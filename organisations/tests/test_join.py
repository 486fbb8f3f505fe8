"""Joining and leaving through the pages: the invitation link (single use), the join link,
the email domain, leaving (the last admin refused), and the snippet the organisation's page
includes."""

import pytest
from allauth.account.models import EmailAddress
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.tests.factories import UserFactory
from organisations import services
from organisations.access import OrganisationAccess
from organisations.models import Membership, Organisation
from promises.tests.helpers import page_text as _page_text

from .factories import organisation_of


def page_text(response) -> str:
    return _page_text(response).replace("\u00a0", " ").replace("\u202f", " ")


def _url(name: str, *args) -> str:
    return reverse(f"organisations:{name}", args=args)


def _is_member(organisation, user) -> bool:
    return Membership.objects.filter(organisation=organisation, user=user).exists()


@pytest.fixture
def invitation(org_admin, acme):
    return services.invitation_create(
        organisation=acme, by=org_admin, email="elsa@example.org", role="animateur"
    )


# --- The invitation link ------------------------------------------------------------------


def test_the_invitation_says_who_invites_to_what(client, invitation):
    page = page_text(client.get(_url("invitation", invitation.token)))

    assert "Invitation à rejoindre ACME" in page
    assert "Alice a envoyé cette invitation à <strong>elsa@example.org</strong>" in page
    assert "« animateur »" in page
    assert f"{reverse('account_login')}?next=" in page
    assert f"{reverse('account_signup')}?next=" in page


def test_an_anonymous_accept_is_sent_to_log_in_and_back(client, invitation):
    response = client.post(_url("invitation", invitation.token))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"] and invitation.token in response["Location"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_joins_with_the_role(client, acme, invitation):
    elsa = UserFactory(display_name="Elsa", email="elsa@example.org")
    client.force_login(elsa)

    response = client.post(_url("invitation", invitation.token))

    assert response.status_code == 302
    assert response["Location"] == reverse("organisation", args=[acme.slug])
    membership = Membership.objects.get(organisation=acme, user=elsa)
    assert (membership.role, membership.via) == ("animateur", "invitation")
    invitation.refresh_from_db()
    assert invitation.accepted_by == elsa


def test_a_used_invitation_is_refused_in_french(client, acme, invitation, outsider):
    services.invitation_accept(token=invitation.token, user=UserFactory())
    client.force_login(outsider)

    page = page_text(client.get(_url("invitation", invitation.token)))
    response = client.post(_url("invitation", invitation.token), follow=True)

    assert "Cette invitation a déjà servi" in page
    assert "Rejoindre ACME" not in page
    assert "Cette invitation a déjà servi." in page_text(response)
    assert not _is_member(acme, outsider)


def test_it_warns_when_logged_in_with_another_address(client, invitation, outsider):
    client.force_login(outsider)
    assert "pas celle de l'invitation" in page_text(
        client.get(_url("invitation", invitation.token))
    )


def test_an_unknown_or_cancelled_invitation_is_not_found(client, invitation):
    assert client.get(_url("invitation", "inconnue")).status_code == 404
    services.invitation_cancel(invitation=invitation)
    assert client.get(_url("invitation", invitation.token)).status_code == 404


def test_the_invitation_of_a_deactivated_organisation_is_not_found(client, acme, invitation):
    Organisation.objects.filter(pk=acme.pk).update(is_active=False)
    assert client.get(_url("invitation", invitation.token)).status_code == 404


# --- The join link ------------------------------------------------------------------------


def test_the_join_link_joins_as_member(client, acme, outsider):
    url = _url("join_link", acme.slug, acme.join_token)
    client.force_login(outsider)

    assert "Rejoindre ACME" in page_text(client.get(url))
    response = client.post(url, follow=True)

    membership = Membership.objects.get(organisation=acme, user=outsider)
    assert (membership.role, membership.via) == ("membre", "lien")
    assert "Bienvenue dans ACME !" in page_text(response)


def test_a_wrong_join_link_says_so(client, acme, outsider):
    client.force_login(outsider)
    url = _url("join_link", acme.slug, "ancien-lien")

    response = client.get(url)
    refused = client.post(url)

    assert response.status_code == 404
    assert "Ce lien d'adhésion n'est plus valable : demandez-en un nouveau." in page_text(response)
    assert refused.status_code == 404
    assert not _is_member(acme, outsider)


def test_the_join_link_sends_a_visitor_to_log_in(client, acme):
    url = _url("join_link", acme.slug, acme.join_token)
    assert "Créer mon compte" in page_text(client.get(url))
    response = client.post(url)
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_following_the_join_link_is_told_so(client, acme, animateur):
    client.force_login(animateur)
    url = _url("join_link", acme.slug, acme.join_token)
    assert "Vous êtes déjà membre de ACME (animateur)." in page_text(client.get(url))
    client.post(url)
    assert Membership.objects.get(user=animateur).role == "animateur"


# --- The email domain -------------------------------------------------------------------------


@pytest.fixture
def domain_acme(org_admin):
    return organisation_of(org_admin, "ACME", email_domain="acme.fr")


def test_a_confirmed_address_on_the_domain_joins_from_the_page(client, domain_acme):
    zoe = UserFactory(email="zoe@acme.fr")
    client.force_login(zoe)

    assert "Rejoindre ACME" in page_text(client.get(_url("join_domain", domain_acme.slug)))
    response = client.post(_url("join_domain", domain_acme.slug))

    assert response["Location"] == reverse("organisation", args=[domain_acme.slug])
    assert Membership.objects.get(user=zoe).via == Membership.Via.DOMAIN


@pytest.mark.parametrize("address", ["x@acme.fr.evil.com", "x@notacme.fr", "x@mail.acme.fr"])
def test_a_look_alike_address_is_refused_from_the_page(client, domain_acme, address):
    client.force_login(UserFactory(email=address))

    page = page_text(client.get(_url("join_domain", domain_acme.slug)))
    response = client.post(_url("join_domain", domain_acme.slug), follow=True)

    assert "Ajoutez la vôtre dans" in page and reverse("account_email") in page
    assert "Confirmez d'abord une adresse e-mail en @acme.fr dans votre compte." in page_text(
        response
    )
    assert domain_acme.memberships.count() == 1


def test_an_unconfirmed_address_is_refused_from_the_page(client, domain_acme, outsider):
    EmailAddress.objects.create(user=outsider, email="oscar@acme.fr", verified=False)
    client.force_login(outsider)
    client.post(_url("join_domain", domain_acme.slug))
    assert not _is_member(domain_acme, outsider)


def test_without_a_proven_domain_the_page_is_not_found(client, acme, outsider):
    client.force_login(UserFactory(email="x@acme.fr"))
    response = client.get(_url("join_domain", acme.slug))
    assert response.status_code == 404
    assert "n'accepte pas d'adhésion par adresse e-mail" in page_text(response)
    assert client.post(_url("join_domain", acme.slug)).status_code == 404


def test_the_domain_join_sends_a_visitor_to_log_in(client, domain_acme):
    response = client.post(_url("join_domain", domain_acme.slug))
    assert response["Location"].startswith(reverse("account_login"))


# --- Leaving --------------------------------------------------------------------------------


def test_a_member_leaves_after_confirming_and_is_told_what_it_did(client, acme, member):
    services.ON_LEAVE.append(lambda organisation, user: ["Votre promesse est retirée."])
    try:
        client.force_login(member)
        url = _url("leave", acme.slug)
        page = page_text(client.get(url))
        assert "Quitter ACME ?" in page and _is_member(acme, member)

        response = client.post(url)
    finally:
        services.ON_LEAVE.pop()

    assert response["Location"] == reverse("organisation", args=[acme.slug])
    assert not _is_member(acme, member)
    page = page_text(client.get(response["Location"]))
    assert "Vous avez quitté ACME." in page
    assert "Votre promesse est retirée." in page


def test_the_last_admin_is_refused_in_french(client, org_admin, acme, member):
    client.force_login(org_admin)

    page = page_text(client.get(_url("leave", acme.slug)))
    response = client.post(_url("leave", acme.slug), follow=True)

    assert "Vous êtes le dernier admin" in page and "Quitter l'organisation" not in page
    assert "Vous êtes le dernier admin : nommez d'abord un autre admin." in page_text(response)
    assert _is_member(acme, org_admin)


def test_a_member_of_a_deactivated_organisation_can_still_leave(client, acme, member):
    Organisation.objects.filter(pk=acme.pk).update(is_active=False)
    client.force_login(member)
    response = client.post(_url("leave", acme.slug))
    assert response["Location"] == reverse("organisations:mine")
    assert not _is_member(acme, member)


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_a_non_member_cannot_leave(client, request, acme, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url("leave", acme.slug)).status_code == 403
    assert client.post(_url("leave", acme.slug)).status_code == 403


def test_leaving_needs_a_log_in(client, acme):
    assert client.post(_url("leave", acme.slug))["Location"].startswith(reverse("account_login"))


# --- The snippet of the organisation's page -----------------------------------------------


def _snippet(organisation, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string(
        "organisations/_join.html",
        {
            "organisation": organisation,
            "access": OrganisationAccess.of(organisation, user),
            "user": user,
        },
        request=request,
    )
    return html.replace("\u00a0", " ")


def test_the_snippet_offers_to_join_by_domain(domain_acme, outsider):
    html = _snippet(domain_acme, outsider)
    assert _url("join_domain", domain_acme.slug) in html
    assert "Rejoindre</button>" in html and "@acme.fr" in html


def test_the_snippet_tells_a_member_their_role(acme, org_admin, member):
    assert "<strong>admin</strong>" in _snippet(acme, org_admin)
    assert _url("settings", acme.slug) in _snippet(acme, org_admin)
    html = _snippet(acme, member)
    assert "<strong>membre</strong>" in html and _url("settings", acme.slug) not in html
    assert _url("leave", acme.slug) in html


def test_the_snippet_says_how_to_join_otherwise(acme, outsider):
    html = _snippet(acme, outsider)
    assert "sur invitation" in html and "<form" not in html


# --- The receiver ---------------------------------------------------------------------------


def test_an_admin_confirming_an_address_on_the_domain_is_told(client, db):
    boss = UserFactory(email="boss@example.org")
    acme = organisation_of(boss, email_domain="acme.fr")
    client.force_login(boss)
    client.post(reverse("account_email"), {"email": "boss@acme.fr", "action_add": ""})
    address = EmailAddress.objects.get(email="boss@acme.fr")
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    response = client.post(reverse("account_confirm_email", args=[key]), follow=True)

    acme.refresh_from_db()
    assert acme.domain_verified_at is not None
    assert "Le domaine @acme.fr est maintenant celui de ACME" in page_text(response)
