"""Managing an organisation through its pages: mine, create, settings, members (roles,
removal, invitations, the join link), each refused from the outside (anonymous, outsider,
member, animateur, admin of another organisation)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from onpromet.tests.images import image_upload
from organisations import services
from organisations.models import Invitation, Membership, Organisation
from promises.tests.helpers import page_text as _page_text

from .factories import member_of, organisation_of


def page_text(response) -> str:
    """The page as read, French no-break spaces as spaces."""
    return _page_text(response).replace("\u00a0", " ").replace("\u202f", " ")


def _url(name: str, organisation: Organisation, *args) -> str:
    return reverse(f"organisations:{name}", args=[organisation.slug, *args])


def _membership(organisation, user) -> Membership:
    return Membership.objects.get(organisation=organisation, user=user)


# --- Mine ---------------------------------------------------------------------------------


def test_it_lists_my_organisations_with_my_role(client, acme, member, other_admin):
    client.force_login(member)

    page = page_text(client.get(reverse("organisations:mine")))

    assert "ACME" in page
    assert "vous êtes membre" in page
    assert "Les Amis de la plage" not in page
    assert "Créer une organisation" in page


def test_it_says_when_i_belong_to_none(client, outsider):
    client.force_login(outsider)
    page = page_text(client.get(reverse("organisations:mine")))
    assert "Vous ne faites partie d'aucune organisation." in page


def test_my_organisations_need_a_log_in(client):
    response = client.get(reverse("organisations:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_and_the_menu_link_to_my_organisations(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("dashboard")).content.decode()
    assert page.count(f'href="{reverse("organisations:mine")}"') == 2


# --- Create -------------------------------------------------------------------------------


def test_it_creates_an_organisation_whose_creator_is_admin(client, outsider):
    client.force_login(outsider)

    response = client.post(
        reverse("organisations:create"),
        {
            "name": "  Les   Amis du Littoral ",
            "kind": "association",
            "description": "Nous nettoyons les plages.",
            "website": "amis-littoral.fr",
            "email_domain": "",
            "logo": image_upload(size=(600, 600)),
        },
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation", args=[organisation.slug])
    assert organisation.name == "Les Amis du Littoral"
    assert organisation.slug == "les-amis-du-littoral"
    assert organisation.website == "https://amis-littoral.fr"
    assert organisation.logo.name.endswith(".webp") and organisation.logo_thumbnail
    assert _membership(organisation, outsider).role == Membership.Role.ADMIN
    assert organisation.created_by == outsider


def test_it_gives_the_errors_in_french_and_keeps_what_was_typed(client, outsider):
    client.force_login(outsider)

    response = client.post(
        reverse("organisations:create"),
        {
            "name": "",
            "kind": "nimporte",
            "description": "Notre présentation",
            "website": "pas une adresse",
            "email_domain": "gmail.com",
        },
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "Donnez le nom de l'organisation." in page
    assert "Choisissez une association, une entreprise ou une collectivité." in page
    assert "Cette adresse de site web n'est pas valide." in page
    assert "Tout le monde peut ouvrir une adresse en @gmail.com" in page
    assert "Notre présentation" in page
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("kind", "domain", "error"),
    [
        ("association", "acme.fr", "réservé aux entreprises"),
        ("entreprise", "acme", "Ce domaine n'est pas valide"),
        ("entreprise", "ac me.fr", "Ce domaine n'est pas valide"),
    ],
)
def test_it_refuses_a_bad_domain(client, outsider, kind, domain, error):
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:create"), {"name": "ACME", "kind": kind, "email_domain": domain}
    )
    assert response.status_code == 200
    assert error in page_text(response)
    assert not Organisation.objects.exists()


def test_a_company_domain_counts_once_the_creator_confirmed_an_address_on_it(client, outsider):
    client.force_login(outsider)  # personneN@example.org

    client.post(
        reverse("organisations:create"),
        {"name": "ACME", "kind": "entreprise", "email_domain": "@ACME.fr"},
    )

    acme = Organisation.objects.get()
    assert acme.email_domain == "acme.fr" and acme.domain_verified_at is None
    page = page_text(client.get(_url("settings", acme)))
    assert "en attente de votre adresse @acme.fr" in page


def test_a_slug_never_takes_a_fixed_path(client, outsider):
    client.force_login(outsider)
    client.post(reverse("organisations:create"), {"name": "Nouvelle", "kind": "association"})
    assert Organisation.objects.get().slug == "nouvelle-2"


def test_creating_needs_a_log_in(client, db):
    response = client.post(reverse("organisations:create"), {"name": "X", "kind": "association"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Organisation.objects.exists()


# --- Settings -------------------------------------------------------------------------------


def test_an_admin_edits_the_settings(client, org_admin, acme):
    client.force_login(org_admin)
    assert client.get(_url("settings", acme)).status_code == 200

    response = client.post(
        _url("settings", acme),
        {
            "name": "ACME France",
            "kind": "entreprise",
            "description": "Nouvelle présentation",
            "website": "",
            "email_domain": "acme.fr",
        },
    )

    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.name == "ACME France" and acme.slug == "acme"
    # Alice confirmed alice@acme.fr: the domain is proven at once.
    assert acme.domain_verified_at is not None
    assert "prouvé" in page_text(client.get(_url("settings", acme)))


def test_settings_say_when_moderation_revoked_the_domain(client, org_admin):
    acme = organisation_of(org_admin, email_domain="acme.fr")
    services.domain_revoke(organisation=acme)
    client.force_login(org_admin)

    page = page_text(client.get(_url("settings", acme)))

    assert "révoqué par la modération" in page


def test_a_changed_domain_keeps_the_stored_one_until_valid(client, org_admin):
    acme = organisation_of(org_admin, email_domain="acme.fr")
    client.force_login(org_admin)

    response = client.post(
        _url("settings", acme), {"name": "", "kind": "entreprise", "email_domain": "acme.com"}
    )

    assert response.status_code == 200
    acme.refresh_from_db()
    assert acme.email_domain == "acme.fr" and acme.domain_verified_at is not None
    assert "ACME" in page_text(response)


@pytest.mark.parametrize("who", ["member", "animateur", "outsider", "other_admin"])
def test_only_its_admins_see_the_settings(client, request, acme, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url("settings", acme)).status_code == 403
    response = client.post(_url("settings", acme), {"name": "Pirate", "kind": "association"})
    assert response.status_code == 403
    acme.refresh_from_db()
    assert acme.name == "ACME"


def test_a_deactivated_organisation_has_no_settings(client, org_admin, acme):
    Organisation.objects.filter(pk=acme.pk).update(is_active=False)
    client.force_login(org_admin)
    assert client.get(_url("settings", acme)).status_code == 404


# --- Members ----------------------------------------------------------------------------------


def test_members_see_who_is_in_it_and_admins_manage(client, org_admin, acme, member, animateur):
    client.force_login(member)
    page = page_text(client.get(_url("members", acme)))
    assert "Alice" in page and "Anna" in page and "Max" in page
    assert "animateur" in page
    assert "Envoyer l'invitation" not in page and "Retirer" not in page
    assert acme.join_token not in page

    client.force_login(org_admin)
    page = page_text(client.get(_url("members", acme)))
    assert "Envoyer l'invitation" in page and "Retirer" in page
    assert acme.join_token in page


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_outsiders_do_not_see_the_members(client, request, acme, member, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url("members", acme)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, acme):
    response = client.get(_url("members", acme))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_admin_invites_by_email(client, org_admin, acme, settings):
    settings.SITE_URL = "https://onpromet.example"
    client.force_login(org_admin)

    response = client.post(
        _url("members", acme), {"email": " Elsa@Example.org", "role": "animateur"}
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "elsa@example.org",
        "animateur",
        org_admin,
    )
    [message] = mail.outbox
    assert message.to == ["elsa@example.org"]
    assert invitation.token in message.body
    page = page_text(client.get(_url("members", acme)))
    assert "elsa@example.org" in page and "Invitations en attente" in page


def test_the_invitation_form_answers_in_french(client, org_admin, acme, member):
    client.force_login(org_admin)

    bad = client.post(_url("members", acme), {"email": "pas-une-adresse", "role": "roi"})
    already = client.post(_url("members", acme), {"email": member.email, "role": "membre"})

    assert "Cette adresse e-mail n'est pas valide." in page_text(bad)
    assert "Choisissez un rôle" in page_text(bad)
    assert "Cette personne est déjà membre de l'organisation." in page_text(already)
    assert not Invitation.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("who", ["member", "animateur"])
def test_only_admins_invite(client, request, acme, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(_url("members", acme), {"email": "x@example.org", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_admin_cancels_an_invitation(client, org_admin, acme):
    invitation = services.invitation_create(
        organisation=acme, by=org_admin, email="x@example.org", role="membre"
    )
    client.force_login(org_admin)

    assert client.get(_url("invitation_cancel", acme, invitation.pk)).status_code == 405
    response = client.post(_url("invitation_cancel", acme, invitation.pk))

    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_an_admin_of_another_organisation_cannot_cancel(client, org_admin, acme, other_admin):
    invitation = services.invitation_create(
        organisation=acme, by=org_admin, email="x@example.org", role="membre"
    )
    other = Organisation.objects.get(name="Les Amis de la plage")
    client.force_login(other_admin)

    assert client.post(_url("invitation_cancel", acme, invitation.pk)).status_code == 403
    # Through their own organisation's address: not one of its invitations.
    assert client.post(_url("invitation_cancel", other, invitation.pk)).status_code == 404
    assert Invitation.objects.exists()


def test_an_admin_changes_a_role(client, org_admin, acme, member):
    client.force_login(org_admin)

    response = client.post(
        _url("member_role", acme, _membership(acme, member).pk), {"role": "animateur"}
    )

    assert response.status_code == 302
    assert response["Location"] == _url("members", acme)
    assert _membership(acme, member).role == Membership.Role.ANIMATEUR
    assert "Max a maintenant le rôle « animateur »." in page_text(client.get(response["Location"]))


def test_the_last_admin_cannot_demote_themselves(client, org_admin, acme):
    client.force_login(org_admin)
    membership = _membership(acme, org_admin)

    response = client.post(
        _url("member_role", acme, membership.pk), {"role": "membre"}, follow=True
    )

    assert "L'organisation doit garder au moins un admin." in page_text(response)
    assert _membership(acme, org_admin).role == Membership.Role.ADMIN


def test_a_bad_role_is_refused_in_french(client, org_admin, acme, member):
    client.force_login(org_admin)
    response = client.post(
        _url("member_role", acme, _membership(acme, member).pk), {"role": "roi"}, follow=True
    )
    assert "Choisissez un rôle : admin, animateur ou membre." in page_text(response)
    assert _membership(acme, member).role == Membership.Role.MEMBER


@pytest.mark.parametrize("who", ["member", "animateur", "outsider", "other_admin"])
def test_only_admins_change_roles(client, request, acme, member, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        _url("member_role", acme, _membership(acme, member).pk), {"role": "admin"}
    )
    assert response.status_code == 403
    assert _membership(acme, member).role == Membership.Role.MEMBER


def test_an_admin_removes_a_member_after_confirming(client, org_admin, acme, member):
    told = []
    services.ON_LEAVE.append(lambda organisation, user: told.append(user) or ["Une phrase."])
    try:
        client.force_login(org_admin)
        url = _url("member_remove", acme, _membership(acme, member).pk)
        page = page_text(client.get(url))
        assert "Retirer Max de ACME ?" in page
        assert Membership.objects.filter(user=member).exists()

        response = client.post(url, follow=True)
    finally:
        services.ON_LEAVE.pop()

    assert not Membership.objects.filter(organisation=acme, user=member).exists()
    assert told == [member]
    page = page_text(response)
    assert "Max ne fait plus partie de ACME." in page
    assert "Une phrase." in page


def test_an_admin_removing_themselves_is_sent_to_leave(client, org_admin, acme):
    client.force_login(org_admin)
    response = client.post(_url("member_remove", acme, _membership(acme, org_admin).pk))
    assert response["Location"] == _url("leave", acme)
    assert Membership.objects.filter(user=org_admin).exists()


@pytest.mark.parametrize("who", ["member", "animateur", "outsider", "other_admin"])
def test_only_admins_remove(client, request, acme, member, animateur, who):
    client.force_login(request.getfixturevalue(who))
    target = _membership(acme, animateur if who == "member" else member)
    assert client.get(_url("member_remove", acme, target.pk)).status_code == 403
    assert client.post(_url("member_remove", acme, target.pk)).status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()


def test_an_admin_resets_the_join_link(client, org_admin, acme):
    old = acme.join_token
    client.force_login(org_admin)

    page = page_text(client.get(_url("join_link_reset", acme)))
    acme.refresh_from_db()
    assert acme.join_token == old and "Réinitialiser le lien d'adhésion ?" in page
    response = client.post(_url("join_link_reset", acme))

    assert response["Location"] == _url("members", acme)
    acme.refresh_from_db()
    assert acme.join_token != old
    assert client.get(_url("join_link", acme, old)).status_code == 404


@pytest.mark.parametrize("who", ["member", "animateur", "outsider", "other_admin"])
def test_only_admins_reset_the_join_link(client, request, acme, who):
    old = acme.join_token
    client.force_login(request.getfixturevalue(who))
    assert client.post(_url("join_link_reset", acme)).status_code == 403
    acme.refresh_from_db()
    assert acme.join_token == old


@pytest.mark.parametrize("manager", [True, False])
def test_the_members_page_takes_as_many_queries_for_20_members_as_for_2(
    client, org_admin, acme, django_assert_max_num_queries, manager
):
    viewer = org_admin if manager else member_of(acme, UserFactory()).user
    client.force_login(viewer)
    services.invitation_create(
        organisation=acme, by=org_admin, email="a@example.org", role="membre"
    )

    def queries_for_page() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(_url("members", acme)).status_code == 200
        return len(context)

    few = queries_for_page()
    for n in range(19):
        member_of(acme, UserFactory())
        services.invitation_create(
            organisation=acme, by=org_admin, email=f"i{n}@example.org", role="membre"
        )
    assert acme.memberships.count() >= 20
    with django_assert_max_num_queries(few):
        assert client.get(_url("members", acme)).status_code == 200
