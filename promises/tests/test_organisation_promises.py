"""Promises in an organisation's name (issue 15): launched by its animateurs and admins, public
with its name and badge, or for its members only: then nowhere but for them (every listing
and every generated file), pledged by them alone, and its emails go to them alone."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from discussions import emails as discussion_emails
from onpromet.errors import Refusal
from organisations import services as organisation_services
from organisations.models import Membership, Organisation
from promises import alerts, emails, selectors, services
from promises.models import Pledge, Promise
from promises.permissions import PromiseAccess
from promises.tests.factories import PromiseFactory, ThemeFactory

# --- The cast: ACME, its admin, its animateur Arthur, its member Mia; Oscar belongs to none --


@pytest.fixture
def acme(db):
    boss = UserFactory(display_name="Bérénice")
    return organisation_services.organisation_create(
        user=boss, name="ACME", kind=Organisation.Kind.COMPANY
    )


def _join(organisation, user, role=Membership.Role.MEMBER):
    return Membership.objects.create(
        organisation=organisation, user=user, role=role, via=Membership.Via.INVITATION
    )


@pytest.fixture
def animateur(acme, initiator):
    _join(acme, initiator, Membership.Role.ANIMATEUR)
    return initiator


@pytest.fixture
def member(acme):
    user = UserFactory(display_name="Mia")
    _join(acme, user)
    return user


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Déchets", slug="dechets")


@pytest.fixture
def internal(acme, animateur, theme):
    return PromiseFactory(
        created_by=animateur,
        action="trier les déchets du bureau chaque vendredi",
        objective=5,
        organisation=acme,
        visibility=Promise.Visibility.MEMBERS,
        themes=[theme],
        action_date=timezone.localdate() + datetime.timedelta(days=40),
    )


def _form_data(**extra) -> dict:
    return {
        "action": "aller planter des arbres au parc",
        "objective": "4",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "description": "Pelles fournies.",
        "themes": [ThemeFactory().pk],
        "city": "",
        "remote": "on",
        **extra,
    }


# --- The form ---------------------------------------------------------------------------------


def test_it_asks_for_an_organisation_only_who_leads_one(client, outsider, member, animateur):
    for user in (outsider, member):
        client.force_login(user)
        page = client.get(reverse("promises:create")).content.decode()
        assert "Pour une organisation" not in page and "Qui la voit" not in page
    client.force_login(animateur)
    page = client.get(reverse("promises:create")).content.decode()
    assert "Pour une organisation" in page and "Réservée aux membres" in page
    assert ">ACME</option>" in page


def test_it_launches_a_promise_for_the_members_only(client, acme, animateur):
    client.force_login(animateur)
    response = client.post(
        reverse("promises:create"),
        _form_data(organisation=acme.pk, visibility=Promise.Visibility.MEMBERS),
    )
    promise = Promise.objects.get(action="aller planter des arbres au parc")
    assert response.status_code == 302 and response["Location"] == promise.get_absolute_url()
    assert promise.organisation == acme and promise.members_only


def test_it_refuses_an_organisation_the_person_does_not_lead(client, acme, member, animateur):
    other = organisation_services.organisation_create(
        user=UserFactory(), name="Autre", kind=Organisation.Kind.ASSOCIATION
    )
    _join(other, animateur)  # a mere member there
    client.force_login(animateur)
    response = client.post(reverse("promises:create"), _form_data(organisation=other.pk))
    assert response.status_code == 200
    assert "Vous ne pouvez pas lancer de promesse au nom de cette organisation." in (
        response.content.decode()
    )
    # Members only without an organisation: said in French, nothing created.
    response = client.post(
        reverse("promises:create"), _form_data(visibility=Promise.Visibility.MEMBERS)
    )
    assert "choisissez laquelle" in response.content.decode()
    assert not Promise.objects.filter(action="aller planter des arbres au parc").exists()


def test_the_service_checks_the_right_again(acme, member):
    with pytest.raises(Refusal, match="Seuls les animateurs et les admins"):
        PromiseFactory(created_by=member, organisation=acme, visibility=Promise.Visibility.MEMBERS)
    assert not Promise.objects.filter(organisation=acme).exists()


def test_it_changes_who_sees_it_only_until_someone_pledged(client, internal, animateur, member):
    client.force_login(animateur)
    url = reverse("promises:edit", args=[internal.slug])
    data = {
        **_form_data(),
        "action": internal.action,
        "objective": "5",
        "visibility": Promise.Visibility.PUBLIC,
    }
    assert client.post(url, data).status_code == 302
    internal.refresh_from_db()
    assert internal.visibility == Promise.Visibility.PUBLIC and internal.organisation_id

    Promise.objects.filter(pk=internal.pk).update(visibility=Promise.Visibility.MEMBERS)
    services.pledge_create(promise=internal, user=member)
    page = client.get(url).content.decode()
    assert "Verrouillé" in page
    assert client.post(url, data).status_code == 302  # the locked field is ignored
    internal.refresh_from_db()
    assert internal.members_only
    with pytest.raises(Refusal, match="ne peut plus changer"):
        services.promise_update(promise=internal, data={"visibility": "public"}, by=animateur)


def test_a_co_initiator_outside_the_lead_cannot_change_who_sees_it(internal, member):
    with pytest.raises(Refusal, match="Seuls les animateurs"):
        services.promise_update(promise=internal, data={"visibility": "public"}, by=member)


def test_a_relaunch_stays_among_the_members(internal, animateur):
    Promise.objects.filter(pk=internal.pk).update(state=Promise.State.FAILED)
    data = {
        "action": internal.action,
        "objective": 3,
        "deadline": timezone.now() + datetime.timedelta(days=10),
        "description": "Encore",
        "city": "Lyon",
        "themes": list(internal.themes.all()),
    }
    with pytest.raises(Refusal, match="réservée aux membres de ACME"):
        services.promise_relaunch(promise=internal, created_by=animateur, data=data)
    relaunch = services.promise_relaunch(
        promise=internal,
        created_by=animateur,
        data={**data, "organisation": internal.organisation, "visibility": "membres"},
    )
    assert relaunch.members_only and relaunch.organisation_id == internal.organisation_id


# --- The promise page and the cards -----------------------------------------------------------


def test_the_page_says_for_whom_and_for_whom_only(client, internal, member, acme):
    Organisation.objects.filter(pk=acme.pk).update(verified_at=timezone.now())
    client.force_login(member)
    page = client.get(internal.get_absolute_url()).content.decode()
    assert "Démarrée par Arthur pour" in page
    assert f'href="{reverse("organisation", args=[acme.slug])}"' in page
    assert "vérifiée" in page
    assert "Réservée aux membres de ACME" in page
    assert "Je promets" in page


def test_a_card_names_the_organisation(client, acme, animateur):
    PromiseFactory(created_by=animateur, organisation=acme, action="ramasser les mégots du quai")
    page = client.get(reverse("promises:list")).content.decode()
    assert "par Arthur pour" in page and "ACME</a>" in page
    assert "réservée aux membres" not in page


# --- Members only, everywhere -----------------------------------------------------------------


def _files(promise) -> dict[str, str]:
    args = [promise.slug]
    return {
        "page": promise.get_absolute_url(),
        "og image": reverse("promises:og_image", args=args),
        "square image": reverse("promises:square_image", args=args),
        "widget": reverse("promises:widget", args=args),
        "poster": reverse("promises:poster", args=args),
        "flyers": reverse("promises:flyers", args=args),
        "calendar": reverse("promises:agenda", args=args),
        "news": reverse("promises:updates", args=args),
    }


def _listings(promise, theme) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "list": reverse("promises:list"),
        "search": reverse("promises:list") + "?q=déchets",
        "finder": reverse("finder") + f"?theme={theme.slug}",
        "theme": reverse("theme", args=[theme.slug]),
        "organisation": reverse("organisation", args=[promise.organisation.slug]),
        "sitemap": reverse("sitemap_section", kwargs={"section": "promises"}),
    }


def _who(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("visitor", ["anonymous", "outsider", "moderator", "other_admin"])
def test_a_non_member_meets_it_nowhere(
    client, internal, theme, visitor, outsider, moderator, member
):
    users = {
        "anonymous": None,
        "outsider": outsider,
        "moderator": moderator,
        "other_admin": organisation_services.organisation_create(
            user=UserFactory(), name="Autre", kind=Organisation.Kind.ASSOCIATION
        ).created_by,
    }
    services.pledge_create(promise=internal, user=member)
    pledge = Pledge.objects.get(promise=internal, user=member)
    _who(client, users[visitor])
    for name, url in _files(internal).items():
        assert client.get(url).status_code == 404, name
    short = reverse("short_link", args=[internal.short_code])
    assert client.get(short).status_code == 404
    share = reverse("share_link", args=[internal.short_code, pledge.share_token])
    assert client.get(share).status_code == 404
    for name, url in _listings(internal, theme).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert internal.slug not in response.content.decode(), name


def test_a_member_meets_it_everywhere(client, internal, theme, member):
    services.pledge_create(promise=internal, user=member)
    pledge = Pledge.objects.get(promise=internal, user=member)
    client.force_login(member)
    for name, url in _files(internal).items():
        assert client.get(url).status_code == 200, name
    short = reverse("short_link", args=[internal.short_code])
    assert client.get(short)["Location"] == internal.get_absolute_url()
    share = reverse("share_link", args=[internal.short_code, pledge.share_token])
    assert client.get(share)["Location"] == internal.get_absolute_url()
    for name, url in _listings(internal, theme).items():
        if name == "sitemap":  # public promises only, for search engines
            continue
        assert internal.get_absolute_url() in client.get(url).content.decode(), name
    assert internal.get_absolute_url() in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("sitemap_section", kwargs={"section": "promises"})).status_code == 200
    assert (
        internal.slug
        not in client.get(
            reverse("sitemap_section", kwargs={"section": "promises"})
        ).content.decode()
    )


def test_its_files_are_private_to_the_members(client, internal, member, promise):
    client.force_login(member)
    for url in (_files(internal)["widget"], _files(internal)["og image"]):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "public" not in cache_control
    # A public promise's stay cacheable by anyone, and its widget reads no session.
    response = client.get(_files(promise)["widget"])
    assert "public" in response["Cache-Control"] and "Cookie" not in response.get("Vary", "")


def test_also_pledged_keeps_it_among_its_members(client, acme, animateur, internal, member):
    public = PromiseFactory(created_by=animateur, action="courir pour la bonne cause au parc")
    other_internal = PromiseFactory(
        created_by=animateur,
        action="covoiturer jusqu'au bureau",
        organisation=acme,
        visibility=Promise.Visibility.MEMBERS,
    )
    for promise in (public, internal, other_internal):
        services.pledge_create(promise=promise, user=member)
    assert internal not in selectors.also_pledged(public)
    assert other_internal not in selectors.also_pledged(public)
    # On a page only ACME's members see, ACME's other internal promises may be suggested.
    assert set(selectors.also_pledged(internal)) == {public, other_internal}


def test_an_alert_finds_it_for_a_member_only(internal, member, outsider):
    since = internal.created_at - datetime.timedelta(minutes=1)
    for user in (member, outsider):
        alert = alerts.alert_create(user=user, data=QueryDict("q=déchets"))
        alert.checked_until = since
        alert.save()
    until = timezone.now() + datetime.timedelta(minutes=1)
    assert alerts.new_promises(member.alerts.get(), until=until) == [internal.pk]
    assert alerts.new_promises(outsider.alerts.get(), until=until) == []


# --- Pledging ---------------------------------------------------------------------------------


def test_only_members_pledge(client, internal, member, outsider):
    assert PromiseAccess.of(internal, member).can_pledge
    assert not PromiseAccess.of(internal, outsider).can_pledge
    # A POST made anyway: the page is not there for them, nor for an anonymous visitor.
    client.force_login(outsider)
    assert client.post(reverse("promises:pledge", args=[internal.slug])).status_code == 404
    client.logout()
    assert client.post(reverse("promises:pledge", args=[internal.slug])).status_code == 404
    with pytest.raises(Refusal, match="réservée aux membres de ACME"):
        services.pledge_create(promise=internal, user=outsider)
    client.force_login(member)
    response = client.post(reverse("promises:pledge", args=[internal.slug]))
    assert response.status_code == 302
    internal.refresh_from_db()
    assert internal.pledge_count == 1
    assert not Pledge.objects.filter(promise=internal, user=outsider).exists()


def test_a_pending_pledge_of_someone_who_left_never_counts(internal, acme):
    user = UserFactory(verified=False)
    _join(acme, user)
    services.pledge_create(promise=internal, user=user)
    Membership.objects.filter(user=user).delete()  # left without the hook (a stale pledge)
    user.emailaddress_set.update(verified=True)
    assert services.pledges_activate(user=user) == 0
    internal.refresh_from_db()
    assert internal.pledge_count == 0
    assert Pledge.objects.get(user=user).status == Pledge.Status.WITHDRAWN


# --- Emails -----------------------------------------------------------------------------------


def test_its_emails_go_to_members_only(internal, member, acme):
    stayed, left = member, UserFactory()
    _join(acme, left)
    for user in (stayed, left):
        services.pledge_create(promise=internal, user=user)
    # Someone who is no longer a member and still holds a pledge (e.g. abandoned after the
    # objective) hears nothing more of it.
    Membership.objects.filter(user=left).delete()
    broadcast = SimpleNamespace(promise_id=internal.pk, promise=internal)
    assert {r["user_id"] for r in emails._participants(broadcast)} == {stayed.pk}
    assert {r["user_id"] for r in emails._everyone(broadcast)} == {
        stayed.pk,
        internal.created_by_id,
    }
    assert {r["user_id"] for r in discussion_emails._participants(broadcast)} == {stayed.pk}
    assert set(
        Pledge.objects.filter(promise=internal).reachable().values_list("user", flat=True)
    ) == {
        stayed.pk,
        internal.created_by_id,
    }


def test_a_public_promise_s_emails_go_to_everyone(promise, participant):
    services.pledge_create(promise=promise, user=participant)
    broadcast = SimpleNamespace(promise_id=promise.pk, promise=promise)
    assert {r["user_id"] for r in emails._participants(broadcast)} == {participant.pk}


# --- Query counts -----------------------------------------------------------------------------


def test_its_page_costs_no_more_queries_than_a_public_one(client, internal, acme, animateur):
    public = PromiseFactory(created_by=animateur, objective=100)
    counts = {}
    for promise in (public, internal):
        # Alike: three participants (members, pledged to this promise only), the viewer one.
        people = UserFactory.create_batch(3)
        for user in people:
            _join(acme, user)
            services.pledge_create(promise=promise, user=user)
        client.force_login(people[0])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(promise.get_absolute_url()).status_code == 200
        counts[promise.visibility] = len(queries)
    assert counts["membres"] <= counts["public"]
