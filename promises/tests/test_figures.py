"""promises.figures: the bilan's figures, computed on a story whose numbers are known."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import UserFactory
from promises import services
from promises.figures import abandon_reasons, promise_figures, promises_figures
from promises.tests import scenarios
from promises.tests.factories import PromiseFactory


@pytest.fixture
def story(initiator):
    return scenarios.build(initiator)


def test_it_computes_every_figure_of_the_story(story):
    with time_machine.travel(scenarios.NOW, tick=False):
        figures = promise_figures(story.promise)

    assert story.promise.reached_at == scenarios.paris(6)
    assert figures.initiators == 1
    assert figures.participants == 6
    assert (figures.at_reached, figures.at_reached_share) == (4, 67)
    assert (figures.joined_late, figures.joined_late_share) == (2, 33)
    assert (figures.posted_photo, figures.posted_photo_share) == (3, 50)
    assert (figures.kept, figures.kept_share) == (2, 33)
    assert (figures.abandoned, figures.abandoned_share) == (2, 33)


def test_it_gives_the_count_at_the_end_of_each_day(story):
    with time_machine.travel(scenarios.NOW, tick=False):
        figures = promise_figures(story.promise)

    expected = [(datetime.date(2026, 3, day), count) for day, count in scenarios.SERIES]
    assert figures.series == expected
    assert figures.counted == story.promise.pledge_count == 4


def test_it_ends_the_series_when_the_promise_closes(initiator):
    with time_machine.travel(scenarios.paris(2), tick=False):
        promise = PromiseFactory(created_by=initiator, objective=5, deadline=scenarios.paris(4))
        services.pledge_create(promise=promise, user=UserFactory())
    with time_machine.travel(scenarios.paris(4, 23), tick=False):
        services.promises_fail_expired()
    promise.refresh_from_db()

    with time_machine.travel(scenarios.NOW, tick=False):
        figures = promise_figures(promise)

    assert [day.day for day, _ in figures.series] == [2, 3, 4]
    assert figures.series[-1][1] == 1
    assert figures.at_reached is None  # never reached
    assert figures.at_reached_share is None


def test_it_has_no_shares_without_participants(promise):
    figures = promise_figures(promise)

    assert figures.participants == 0
    assert figures.kept_share is None
    assert figures.series == [(timezone.localdate(promise.created_at), 0)]


def test_it_lists_the_abandon_reasons_without_names(story, promise):
    reasons = abandon_reasons([story.promise, promise])

    assert reasons == {story.promise.pk: ["Malade"], promise.pk: []}


@pytest.mark.parametrize("participants", [2, 25])
def test_it_uses_three_queries_whatever_the_number_of_participants(
    initiator, django_assert_num_queries, participants
):
    promise = PromiseFactory(created_by=initiator, objective=100)
    for user in UserFactory.create_batch(participants):
        services.pledge_create(promise=promise, user=user)

    with django_assert_num_queries(3):
        figures = promise_figures(promise)

    assert figures.participants == participants


@pytest.mark.parametrize("count", [1, 6])
def test_it_uses_three_queries_whatever_the_number_of_promises(
    initiator, django_assert_num_queries, count
):
    promises = PromiseFactory.create_batch(count, created_by=initiator, objective=2)
    for promise in promises:
        services.pledge_create(promise=promise, user=UserFactory())

    with django_assert_num_queries(3):
        figures = promises_figures(promises)

    assert [figures[p.pk].counted for p in promises] == [1] * count
