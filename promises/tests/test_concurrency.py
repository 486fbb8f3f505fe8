"""Pledges arriving at the same moment, on real Postgres, each in its own connection."""

import pytest

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import race

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_it_counts_fifty_simultaneous_pledges_exactly_once_each():
    promise = PromiseFactory(objective=1000)
    users = UserFactory.create_batch(THREADS)

    errors = race(
        lambda user: services.pledge_create(promise=promise, user=user), [(u,) for u in users]
    )

    assert errors == []
    promise.refresh_from_db()
    assert promise.pledge_count == THREADS
    assert promise.pledge_count == promise.pledges.participants().count()


@pytest.mark.django_db(transaction=True)
def test_it_reaches_the_objective_once_when_fifty_pledge_at_x_minus_one():
    promise = PromiseFactory(objective=THREADS)
    for user in UserFactory.create_batch(THREADS - 1):
        services.pledge_create(promise=promise, user=user)
    latecomers = UserFactory.create_batch(THREADS)
    reached_by = []

    def pledge(user):
        pledge = services.pledge_create(promise=promise, user=user)
        if pledge.promise.reached_at and not pledge.joined_late:
            reached_by.append(user)

    errors = race(pledge, [(u,) for u in latecomers])

    assert errors == []
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    assert len(reached_by) == 1  # Exactly one pledge made the transition.
    assert promise.pledge_count == promise.pledges.participants().count() == 2 * THREADS - 1
    assert promise.pledges.participants().filter(activated_at__gt=promise.reached_at).count() == (
        THREADS - 1
    )


@pytest.mark.django_db(transaction=True)
def test_it_never_counts_one_person_twice_when_they_click_many_times_at_once():
    promise = PromiseFactory(objective=10)
    user = UserFactory()

    errors = race(lambda: services.pledge_create(promise=promise, user=user), [()] * 20)

    assert errors == []
    promise.refresh_from_db()
    assert promise.pledge_count == 1
    assert Pledge.objects.filter(promise=promise, user=user).count() == 1
