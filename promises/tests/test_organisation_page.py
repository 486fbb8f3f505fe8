"""An organisation's page, /organisations/<slug>/: who it is (logo, name, kind, verified or
not, description, website), its public promises for everyone and its internal ones for its
members only, its figures over what the visitor may see, links to manage it for its admins;
404 once deactivated, and for outsiders while hidden by the moderation. Its queries do not
grow with its promises."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from onpromet.photos import process_photo
from onpromet.tests.images import image_upload
from organisations import services as organisation_services
from organisations.models import Membership, Organisation
from promises import services
from promises.models import Promise
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.factories import PromiseFactory, reach
from promises.tests.test_browser_recap import logged_in_page
from promises.views.browse import PROMISES_PER_PAGE


@pytest.fixture
def admin(db):
    return UserFactory(display_name="Alix")


@pytest.fixture
def acme(admin):
    return organisation_services.organisation_create(
        user=admin,
        name="ACME",
        kind=Organisation.Kind.COMPANY,
        description="Fabricant de tout.\nDepuis 1949.",
        website="https://acme.example/",
    )


@pytest.fixture
def member(acme):
    user = UserFactory(display_name="Mona")
    Membership.objects.create(organisation=acme, user=user, via=Membership.Via.LINK)
    return user


@pytest.fixture
def animateur(acme):
    user = UserFactory(display_name="Anis")
    Membership.objects.create(
        organisation=acme, user=user, role=Membership.Role.ANIMATEUR, via=Membership.Via.LINK
    )
    return user


def launch(animateur, acme, *, members_only=False, action="ramasser les déchets du parc", **kw):
    return PromiseFactory(
        created_by=animateur,
        organisation=acme,
        visibility=Promise.Visibility.MEMBERS if members_only else Promise.Visibility.PUBLIC,
        action=action,
        **kw,
    )


def page(client, organisation, **params):
    return client.get(reverse("organisation", args=[organisation.slug]), params)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def figure(content: str, label: str) -> str:
    """The number under a figure's label on the page."""
    match = re.search(
        rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*><span class=\"figure-number\">([^<]+)<",
        content,
    )
    assert match, label
    return match.group(1)


# --- Who it is ------------------------------------------------------------------------------


def test_it_presents_the_organisation(client, acme):
    content = html(page(client, acme))
    assert "<h1" in content and ">ACME</h1>" in content
    assert "Entreprise" in content
    assert "non vérifiée" in content
    assert "Fabricant de tout.<br>Depuis 1949." in content
    assert 'href="https://acme.example/"' in content


def test_it_shows_the_badge_once_verified_and_the_logo(client, admin):
    organisation = organisation_services.organisation_create(
        user=admin,
        name="Plages propres",
        kind=Organisation.Kind.ASSOCIATION,
        logo=process_photo(image_upload(size=(400, 400))),
    )
    Organisation.objects.filter(pk=organisation.pk).update(verified_at=timezone.now())
    organisation.refresh_from_db()

    content = html(page(client, organisation))

    assert '<span class="badge text-bg-primary">vérifiée</span>' in content
    assert "non vérifiée" not in content
    assert f'src="{organisation.logo_thumbnail.url}" alt="Logo de Plages propres"' in content
    assert "Association" in content


def test_an_unknown_organisation_is_not_found(client, db):
    assert client.get(reverse("organisation", args=["personne"])).status_code == 404


def test_a_deactivated_organisation_is_not_found_even_for_its_admin(client, acme, admin):
    Organisation.objects.filter(pk=acme.pk).update(is_active=False)
    assert page(client, acme).status_code == 404
    client.force_login(admin)
    assert page(client, acme).status_code == 404


def test_a_hidden_organisation_shows_only_to_members_and_moderators(
    client, acme, member, outsider, moderator
):
    organisation_services.organisation_set_hidden(organisation=acme, hidden=True)
    assert page(client, acme).status_code == 404
    client.force_login(outsider)
    assert page(client, acme).status_code == 404
    for user in (member, moderator):
        client.force_login(user)
        assert "masquée par la modération" in html(page(client, acme))


# --- Its promises ---------------------------------------------------------------------------


def test_everyone_sees_its_public_promises_and_members_its_internal_ones(
    client, acme, animateur, member, outsider, moderator
):
    launch(animateur, acme, action="planter des arbres devant l'usine")
    launch(animateur, acme, members_only=True, action="trier les déchets du bureau")
    launch(animateur, acme, action="cacher une promesse")
    services.promise_set_hidden(
        promise=Promise.objects.get(action="cacher une promesse"), hidden=True
    )

    for visitor in (None, outsider, moderator):  # moderators see it only if members
        client.logout()
        if visitor:
            client.force_login(visitor)
        content = html(page(client, acme))
        assert "planter des arbres devant l" in content
        assert "trier les déchets du bureau" not in content
        assert "Promesses internes" not in content
        assert "cacher une promesse" not in content

    client.force_login(member)
    content = html(page(client, acme))
    assert "Promesses internes" in content
    internal, public = content.split("Promesses internes")[1].split("Promesses publiques")
    assert "trier les déchets du bureau" in internal
    assert "planter des arbres" not in internal
    assert "planter des arbres devant l" in public
    assert "trier les déchets" not in public
    assert "cacher une promesse" not in content


def test_a_member_without_internal_promises_is_told_so(client, acme, member):
    client.force_login(member)
    assert "Aucune promesse interne pour l'instant." in html(page(client, acme))


def test_it_says_when_there_is_no_promise(client, acme):
    assert "Aucune promesse publique pour l'instant." in html(page(client, acme))


def test_it_paginates_each_list_and_keeps_the_other_page(client, acme, animateur, member):
    for i in range(PROMISES_PER_PAGE + 1):
        launch(animateur, acme, action=f"aller courir le matin numéro {i:02d}")
    for i in range(PROMISES_PER_PAGE + 2):
        launch(animateur, acme, members_only=True, action=f"aller trier le bureau numéro {i:02d}")
    client.force_login(member)

    first = html(page(client, acme))
    assert "numéro 00" not in first.split("Promesses publiques")[1]  # the oldest: page 2
    second = html(page(client, acme, page="2", internes="2"))
    internal, public = second.split("Promesses internes")[1].split("Promesses publiques")
    assert "aller courir le matin numéro 00" in public
    assert "aller trier le bureau numéro 00" in internal
    assert "aller trier le bureau numéro 01" in internal
    # The internal list's next/previous link keeps the public list's page, and conversely.
    assert "?page=2&amp;internes=1" in internal
    assert "?internes=2&amp;page=1" in public
    # Whatever a visitor types, a page.
    assert "aller courir le matin" in html(page(client, acme, page="x", internes="-3"))
    assert "aller courir le matin" in html(page(client, acme, page="999999"))


# --- Its figures ----------------------------------------------------------------------------


def test_its_figures_count_what_the_visitor_may_see(client, acme, animateur, member, participant):
    public = launch(animateur, acme, objective=2)
    both, _ = reach(public)  # reached by two people
    launch(animateur, acme)  # launched, nobody yet
    internal = launch(animateur, acme, members_only=True, objective=1)
    services.pledge_create(promise=internal, user=member)
    services.pledge_keep(promise=public, user=both)
    services.pledge_keep(promise=public, user=animateur)  # an initiator: not a participant
    other = PromiseFactory(created_by=participant)  # not in ACME's name
    services.pledge_create(promise=other, user=both)

    content = html(page(client, acme))
    assert figure(content, "Promesses lancées") == "2"
    assert figure(content, "Objectif atteint") == "1"
    assert figure(content, "Participants") == "2"
    assert figure(content, "Promesses tenues") == "1"

    client.force_login(member)
    content = html(page(client, acme))
    assert figure(content, "Promesses lancées") == "3"
    assert figure(content, "Objectif atteint") == "2"
    # The public one's two and Mona in the internal one; "both" also pledged elsewhere.
    assert figure(content, "Participants") == "3"
    assert figure(content, "Promesses tenues") == "1"
    assert "comptent aussi les promesses internes" in content


# --- Who manages it ---------------------------------------------------------------------------


def test_its_admins_find_the_report_and_the_others_do_not(client, acme, admin, member, outsider):
    report = reverse("organisation_report", args=[acme.slug])
    for visitor in (None, outsider, member):
        client.logout()
        if visitor:
            client.force_login(visitor)
        assert report not in html(page(client, acme))
    client.force_login(admin)
    content = html(page(client, acme))
    assert f'href="{report}"' in content
    # Its settings and members, from the organisations app's piece.
    assert f'href="{reverse("organisations:settings", args=[acme.slug])}"' in content
    assert f'href="{reverse("organisations:members", args=[acme.slug])}"' in content


def test_outsiders_may_report_it_and_members_are_not_offered_to(client, acme, member, outsider):
    report = reverse("discussions:report", args=["organisation", acme.pk])
    assert report not in html(page(client, acme))  # anonymous: log in first
    client.force_login(member)
    assert report not in html(page(client, acme))
    client.force_login(outsider)
    assert report in html(page(client, acme))


# --- Its queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_its_queries_do_not_grow_with_its_promises(
    client, acme, animateur, member, django_assert_max_num_queries, count
):
    for i in range(count):
        promise = launch(animateur, acme, members_only=bool(i % 2), objective=3)
        services.pledge_create(promise=promise, user=member)
    client.force_login(member)
    # Session and user, the organisation, the membership,
    # each list's count and rows, the cards, the two aggregates of the figures.
    with django_assert_max_num_queries(11):
        content = html(page(client, acme))
    assert content.count('class="stretched-link') == min(count // 2, PROMISES_PER_PAGE) * 2


# --- In a browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("viewport", "name"), [(DESKTOP, "organisation"), (PHONE, "organisation-phone")]
)
def test_a_member_reads_the_page_in_a_browser(
    live_server, new_page, browser_errors, admin, member, animateur, viewport, name
):
    organisation = organisation_services.organisation_create(
        user=admin,
        name="Plages propres de Biscarosse",
        kind=Organisation.Kind.ASSOCIATION,
        description="Une fois par mois, nous ramassons les déchets sur les plages des Landes.",
        website="https://plages-propres.example/",
        logo=process_photo(image_upload(size=(400, 400), color=(20, 110, 180))),
    )
    Organisation.objects.filter(pk=organisation.pk).update(verified_at=timezone.now())
    for who in (member, animateur):
        Membership.objects.filter(user=who).update(organisation=organisation)
    for action in ("nettoyer la plage Centrale le samedi 4 juillet", "trier les déchets ramassés"):
        reach(launch(animateur, organisation, action=action, objective=2))
    launch(animateur, organisation, action="ramasser les mégots de la plage Sud", objective=30)
    launch(animateur, organisation, members_only=True, action="préparer les sacs et les gants")
    page = logged_in_page(new_page, live_server, member, viewport)

    page.goto(live_server.url + reverse("organisation", args=[organisation.slug]))

    page.get_by_role("heading", name="Plages propres de Biscarosse").wait_for()
    assert page.get_by_role("heading", name="Promesses internes").is_visible()
    assert page.get_by_text("préparer les sacs et les gants").is_visible()
    assert page.get_by_role("img", name="Logo de Plages propres de Biscarosse").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}.png", full_page=True)
    assert browser_errors == []
