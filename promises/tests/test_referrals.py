"""Who brought whom (promises/sharing.py): the short links, the personal share links, the
rules of the credit, and where the participants came from on the dashboard and in the bilan."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from promises import services
from promises.figures import pledge_sources, promise_figures
from promises.models import Pledge
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db


def sharer_pledge(promise, user) -> Pledge:
    return Pledge.objects.get(promise=promise, user=user)


def share_path(promise, pledge: Pledge) -> str:
    return reverse("share_link", args=[promise.short_code, pledge.share_token])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pledge_through(client: Client, promise, *links: str) -> Pledge:
    """Follow the links, in order, then click "Je promets" on the promise page."""
    for link in links:
        assert client.get(link).status_code in (301, 302)
    client.post(reverse("promises:pledge", args=[promise.slug]))
    user = client.session["_auth_user_id"]
    return Pledge.objects.get(promise=promise, user_id=user)


def text_of(response) -> str:
    """The page's words, as a reader sees them: tags and spacing gone."""
    words = re.sub(r"<[^>]+>", " ", page_text(response)).replace("\u00a0", " ")
    return " ".join(words.split())


def brought(promise, user) -> int:
    return Pledge.objects.brought_by(sharer_pledge(promise, user)).count()


# --- The short links --------------------------------------------------------------------------


def test_the_short_link_leads_to_the_promise_for_good(client, promise):
    response = client.get(f"/p/{promise.short_code}/")
    assert response.status_code == 301
    assert response["Location"] == promise.get_absolute_url()


def test_a_share_link_leads_to_the_promise_whatever_the_token(client, pledged, participant):
    good = client.get(share_path(pledged, sharer_pledge(pledged, participant)))
    bad = Client().get(reverse("share_link", args=[pledged.short_code, "pasuntoken12"]))
    # The same answer: trying tokens teaches nothing about who shared.
    assert (good.status_code, good["Location"]) == (302, pledged.get_absolute_url())
    assert (bad.status_code, bad["Location"]) == (302, pledged.get_absolute_url())


def test_an_unknown_code_is_a_404(client, promise):
    assert client.get("/p/inconnu/").status_code == 404
    assert client.get("/p/inconnu/abcdefghjkmn/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "initiator", "moderator"])
def test_a_hidden_promise_has_no_short_link(request, who, pledged, participant):
    services.promise_set_hidden(promise=pledged, hidden=True)
    client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
    assert client.get(f"/p/{pledged.short_code}/").status_code == 404
    assert client.get(share_path(pledged, sharer_pledge(pledged, participant))).status_code == 404


def test_codes_and_tokens_are_drawn_at_random_not_counted(initiator):
    first, second = PromiseFactory(created_by=initiator), PromiseFactory(created_by=initiator)
    assert first.short_code != second.short_code
    assert len(first.short_code) == 7 and first.short_code.isalnum()
    token = sharer_pledge(first, initiator).share_token
    assert len(token) == 12
    assert str(initiator.pk) not in token and first.slug not in token


# --- The rules of the credit --------------------------------------------------------------------


def test_a_visitor_who_pledges_through_a_link_is_credited_to_its_owner(pledged, participant):
    newcomer = logged_in(UserFactory())
    pledge = pledge_through(
        newcomer, pledged, share_path(pledged, sharer_pledge(pledged, participant))
    )
    assert pledge.is_active
    assert pledge.source == Pledge.Source.LINK
    assert pledge.referred_by == sharer_pledge(pledged, participant)
    assert brought(pledged, participant) == 1
    page = page_text(logged_in(participant).get(pledged.get_absolute_url()))
    assert "Vous avez fait venir 1 personne." in page


def test_a_pending_pledge_counts_for_the_sharer_once_confirmed(pledged, participant):
    newcomer = UserFactory(verified=False)
    pledge = pledge_through(
        logged_in(newcomer), pledged, share_path(pledged, sharer_pledge(pledged, participant))
    )
    assert pledge.is_pending and pledge.referred_by is not None
    assert brought(pledged, participant) == 0  # only confirmed pledges
    newcomer.emailaddress_set.update(verified=True)
    services.pledges_activate(user=newcomer)
    assert brought(pledged, participant) == 1


def test_no_one_is_credited_with_their_own_pledge(pledged, participant):
    """A participant who withdraws and pledges again through their own link: their pledge is
    not new, and is nobody's; and the service never credits a pledge to its own owner."""
    client = logged_in(participant)
    services.pledge_withdraw(promise=pledged, user=participant)
    pledge = pledge_through(
        client, pledged, share_path(pledged, sharer_pledge(pledged, participant))
    )
    assert pledge.is_active and pledge.referred_by is None
    assert brought(pledged, participant) == 0


def test_a_visitor_who_had_already_pledged_is_not_credited(pledged, participant):
    other = UserFactory()
    services.pledge_create(promise=pledged, user=other)
    services.pledge_withdraw(promise=pledged, user=other)
    pledge = pledge_through(
        logged_in(other), pledged, share_path(pledged, sharer_pledge(pledged, participant))
    )
    assert pledge.is_active
    assert pledge.referred_by is None and pledge.source == Pledge.Source.DIRECT
    assert brought(pledged, participant) == 0


def test_a_withdrawn_pledge_no_longer_counts_for_the_sharer(pledged, participant):
    newcomer = UserFactory()
    pledge_through(
        logged_in(newcomer), pledged, share_path(pledged, sharer_pledge(pledged, participant))
    )
    assert brought(pledged, participant) == 1
    services.pledge_withdraw(promise=pledged, user=newcomer)
    assert brought(pledged, participant) == 0
    page = page_text(logged_in(participant).get(pledged.get_absolute_url()))
    assert "Vous avez fait venir" not in page
    assert promise_figures(pledged).brought == 0


def test_the_first_link_followed_wins(pledged, participant):
    second = UserFactory(display_name="Sami")
    services.pledge_create(promise=pledged, user=second)
    first_link = share_path(pledged, sharer_pledge(pledged, participant))
    second_link = share_path(pledged, sharer_pledge(pledged, second))
    pledge = pledge_through(logged_in(UserFactory()), pledged, first_link, second_link)
    assert pledge.referred_by == sharer_pledge(pledged, participant)
    assert (brought(pledged, participant), brought(pledged, second)) == (1, 0)


def test_one_hop_only(pledged, participant):
    """B came through A's link, C through B's: C is B's, not A's."""
    b, c = UserFactory(), UserFactory()
    pledge_through(logged_in(b), pledged, share_path(pledged, sharer_pledge(pledged, participant)))
    pledge_through(logged_in(c), pledged, share_path(pledged, sharer_pledge(pledged, b)))
    assert (brought(pledged, participant), brought(pledged, b)) == (1, 1)


def test_a_link_of_another_promise_credits_no_one(pledged, participant, initiator):
    other_promise = PromiseFactory(created_by=initiator)
    foreign = share_path(other_promise, sharer_pledge(other_promise, initiator))
    client = logged_in(UserFactory())
    client.get(foreign)
    pledge = pledge_through(client, pledged)
    assert pledge.referred_by is None and pledge.source == Pledge.Source.DIRECT


def test_the_credit_survives_signing_up_on_the_way(client, pledged, participant, mailoutbox):
    """An anonymous visitor follows the link, clicks "Je promets", signs up, confirms."""
    client.get(share_path(pledged, sharer_pledge(pledged, participant)))
    client.post(reverse("promises:pledge", args=[pledged.slug]))
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Nadia",
            "email": "nadia@example.org",
            "password1": "un mot de passe solide 42",
            "password2": "un mot de passe solide 42",
        },
    )
    pledge = Pledge.objects.get(promise=pledged, user__email="nadia@example.org")
    assert pledge.is_pending and pledge.referred_by == sharer_pledge(pledged, participant)
    assert brought(pledged, participant) == 0


@pytest.mark.parametrize("source", ["widget", "affiche", "flyer"])
def test_the_page_remembers_the_widget_and_the_posters(pledged, source):
    client = logged_in(UserFactory())
    client.get(f"{pledged.get_absolute_url()}?source={source}")
    pledge = pledge_through(client, pledged)
    assert pledge.source == source and pledge.referred_by is None


def test_an_unknown_source_is_direct(pledged):
    client = logged_in(UserFactory())
    client.get(f"{pledged.get_absolute_url()}?source=<script>")
    assert pledge_through(client, pledged).source == Pledge.Source.DIRECT


def test_a_visitor_who_does_not_pledge_leaves_nothing_but_their_session(pledged, participant):
    before = Pledge.objects.count()
    Client().get(share_path(pledged, sharer_pledge(pledged, participant)))
    assert Pledge.objects.count() == before


# --- What initiators and the bilan see --------------------------------------------------------


def test_the_dashboard_shows_where_the_participants_came_from(initiator, participant):
    promise = PromiseFactory(created_by=initiator, objective=20)
    services.pledge_create(promise=promise, user=participant)  # directly
    hidden_name = UserFactory(display_name="Discrète", appears_anonymously=True)
    services.pledge_create(promise=promise, user=hidden_name)
    for sharer, count in ((participant, 2), (hidden_name, 1)):
        for _ in range(count):
            pledge_through(
                logged_in(UserFactory()),
                promise,
                share_path(promise, sharer_pledge(promise, sharer)),
            )
    widget = logged_in(UserFactory())
    widget.get(f"{promise.get_absolute_url()}?source=widget")
    pledge_through(widget, promise)

    sources = pledge_sources([promise])[promise.pk]
    assert [(s.label, s.count) for s in sources] == [
        ("Directement", 2),
        ("Le lien de Paula", 2),
        ("Le lien d'Anonyme", 1),
        ("Le widget", 1),
    ]
    page = text_of(logged_in(initiator).get(reverse("dashboard")))
    assert "D'où viennent les participants" in page
    assert "Le lien de Paula 2" in page
    assert "Discrète" not in page


def test_the_bilan_counts_the_pledges_that_came_through_a_share(initiator, participant):
    promise = PromiseFactory(created_by=initiator, objective=2)
    services.pledge_create(promise=promise, user=participant)
    pledge_through(
        logged_in(UserFactory()), promise, share_path(promise, sharer_pledge(promise, participant))
    )
    promise.refresh_from_db()
    assert promise.state == promise.State.REACHED
    figures = promise_figures(promise)
    assert (figures.participants, figures.brought, figures.brought_share) == (2, 1, 50)
    services.recap_save(promise=promise, author=initiator, text="Fait.")
    services.recap_publish(promise=promise)
    page = text_of(Client().get(reverse("promises:recap", args=[promise.slug])))
    assert "Venus par le lien d'un participant 1 · 50 %" in page


def test_the_dashboard_queries_do_not_grow_with_the_promises(
    initiator, django_assert_max_num_queries
):
    client = logged_in(initiator)
    PromiseFactory(created_by=initiator)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("dashboard")).status_code == 200
    queries = len(one)  # now: the next request clears the connection's log
    for _ in range(4):
        promise = PromiseFactory(created_by=initiator)
        pledge_through(
            logged_in(UserFactory()),
            promise,
            share_path(promise, sharer_pledge(promise, initiator)),
        )
    with django_assert_max_num_queries(queries):
        client.get(reverse("dashboard"))
