"""The action finder, /agir/ (promises/finder.py)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from promises import finder, selectors, services
from promises.models import Promise
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("today", "when", "days"),
    [
        (MONDAY, "semaine", (MONDAY, datetime.date(2027, 3, 7))),
        (MONDAY, "week-end", (datetime.date(2027, 3, 6), datetime.date(2027, 3, 7))),
        (datetime.date(2027, 3, 7), "week-end", (datetime.date(2027, 3, 7),) * 2),
        (
            datetime.date(2027, 2, 10),
            "mois",
            (datetime.date(2027, 2, 10), datetime.date(2027, 2, 28)),
        ),
        (MONDAY, "", None),
    ],
)
def test_each_when_is_a_window_of_days(today, when, days):
    assert finder.window(when, today) == days


def _promise(initiator, **fields):
    promise = PromiseFactory(created_by=initiator, objective=fields.pop("objective", 10))
    if fields:
        Promise.objects.filter(pk=promise.pk).update(**fields)
        promise.refresh_from_db()
    return promise


def _found(user, **answers) -> list[Promise]:
    return [p.pk for p in selectors.finder_results(user, finder.Answers(**answers))]


def test_the_answers_narrow_the_promises(initiator):
    velo = ThemeFactory(name="Mobilité", slug="mobilite")
    by_bike = PromiseFactory(created_by=initiator, themes=[velo])
    remote = _promise(initiator, format=Promise.Format.REMOTE, duration=Promise.Duration.HOUR)
    daily = _promise(initiator, duration=Promise.Duration.DAILY, format=Promise.Format.AT_HOME)
    anonymous = UserFactory()
    assert _found(anonymous, themes=(velo,)) == [by_bike.pk]
    assert _found(anonymous, formats=("a-distance",)) == [remote.pk]
    assert set(_found(anonymous, durations=("heure", "quotidien"))) == {remote.pk, daily.pk}


def test_when_keeps_the_actions_of_the_window_and_those_with_no_date(initiator):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC)):
        saturday = _promise(initiator, action_date=datetime.date(2027, 3, 6))
        period = _promise(
            initiator,
            action_date=datetime.date(2027, 2, 1),
            action_end_date=datetime.date(2027, 3, 31),
        )
        later = _promise(initiator, action_date=datetime.date(2027, 3, 20))
        undated = _promise(initiator)
        found = set(_found(UserFactory(), when="week-end"))
    assert found == {saturday.pk, period.pk, undated.pk}
    assert later.pk not in found


def test_where_one_more_person_matters_most_comes_first(initiator):
    """Reachable at its pace first, then the fewest missing, then the nearest deadline."""
    now = timezone.now()
    # 2 of 10 after 10 days, 5 days left: 3 projected, out of reach.
    slow = _promise(
        initiator,
        objective=10,
        pledge_count=2,
        created_at=now - datetime.timedelta(days=10),
        deadline=now + datetime.timedelta(days=5),
    )
    # 6 of 10 after 3 days, 20 days left: reachable, 4 missing.
    fast = _promise(
        initiator,
        objective=10,
        pledge_count=6,
        created_at=now - datetime.timedelta(days=3),
        deadline=now + datetime.timedelta(days=20),
    )
    # 18 of 20 after 2 days, 10 days left: reachable, 2 missing.
    almost = _promise(
        initiator,
        objective=20,
        pledge_count=18,
        created_at=now - datetime.timedelta(days=2),
        deadline=now + datetime.timedelta(days=10),
    )
    assert _found(UserFactory()) == [almost.pk, fast.pk, slow.pk]
    assert finder.reasons(Promise.objects.get(pk=almost.pk))[0] == "Plus que 2 personnes"


def test_closed_and_hidden_promises_are_never_suggested(initiator, moderator):
    cancelled = _promise(initiator)
    services.promise_cancel(promise=cancelled)
    hidden = _promise(initiator)
    services.promise_set_hidden(promise=hidden, hidden=True)
    past = _promise(initiator, deadline=timezone.now() - datetime.timedelta(hours=1))
    for user in (UserFactory(), initiator, moderator):
        assert not {cancelled.pk, hidden.pk, past.pk} & set(_found(user))


def test_the_page_asks_then_answers_from_a_shareable_url(client, initiator):
    velo = ThemeFactory(name="Mobilité", slug="mobilite")
    promise = PromiseFactory(created_by=initiator, themes=[velo], objective=3)
    asked = page_text(client.get(reverse("finder")))
    assert "Ce qui vous tient à cœur ?" in asked and "Le temps que vous avez ?" in asked
    assert "pour vous" not in asked
    answered = page_text(
        client.get(reverse("finder") + "?theme=mobilite&duree=demi-journee&quand=")
    )
    assert "1 promesse pour vous" in answered
    assert promise.get_absolute_url() in answered
    assert "Plus que 3 personnes" in answered and "une demi-journée" in answered
    # The answers stay ticked: the page is the answer's link.
    assert re.search(r'<input[^>]*value="mobilite"[^>]*checked', answered)


def test_nothing_found_suggests_fewer_answers(client, initiator):
    PromiseFactory(created_by=initiator)
    page = page_text(client.get(reverse("finder") + "?format=chez-moi"))
    assert "Aucune promesse ne correspond" in page
    assert "Essayez avec moins de critères" in page


def test_bad_answers_are_not_a_server_error(client):
    response = client.get(reverse("finder") + "?theme=inconnu&duree=<script>&quand=demain")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page
    assert "pour vous" not in page  # no results for answers that are not choices


@pytest.mark.parametrize("promises", [1, 15])
def test_the_finder_costs_the_same_whatever_the_number_of_promises(
    client, initiator, promises, django_assert_max_num_queries
):
    PromiseFactory.create_batch(promises, created_by=initiator)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("finder") + "?quand=").status_code == 200


def test_the_promise_page_says_where_to_meet(client, initiator):
    promise = PromiseFactory(created_by=initiator)
    Promise.objects.filter(pk=promise.pk).update(meeting_point="parking de la plage Centrale")
    page = page_text(client.get(promise.get_absolute_url()))
    assert "Rendez-vous" in page and "parking de la plage Centrale, Biscarosse" in page


def test_the_creation_form_asks_for_the_time_and_the_format(client, participant):
    client.force_login(participant)
    page = page_text(client.get(reverse("promises:create")))
    assert "Le temps que cela demande à chacun" in page and "un geste au quotidien" in page
    assert "Où l'action se passe" in page and "chez moi" in page


def test_promesses_offers_the_finders_filters_through_the_same_builder(client, initiator):
    remote = _promise(initiator, format=Promise.Format.REMOTE, duration=Promise.Duration.HOUR)
    on_site = _promise(initiator)
    page = page_text(client.get(reverse("promises:list") + "?format=a-distance&duree=heure"))
    assert remote.get_absolute_url() in page and on_site.get_absolute_url() not in page
    assert "Le temps, le format, le moment" in page
    everything = page_text(client.get(reverse("promises:list")))
    assert remote.get_absolute_url() in everything and on_site.get_absolute_url() in everything
