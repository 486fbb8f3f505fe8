"""Who was counted when the objective was reached, and who joined on the way: decided once,
under the promise lock, when a pledge starts to count (Pledge.joined_late)."""

import importlib

import time_machine
from django.apps import apps
from django.utils import timezone

from accounts.tests.factories import UserFactory
from promises import services
from promises.figures import promise_figures
from promises.models import Pledge, Promise
from promises.tests.factories import reach


def _pledge(promise, user) -> Pledge:
    return Pledge.objects.get(promise=promise, user=user)


def test_it_counts_the_pledge_that_reaches_the_objective_at_the_objective(promise):
    people = reach(promise, extra=1)
    assert [_pledge(promise, u).joined_late for u in people] == [False, False, False, True]
    assert not _pledge(promise, promise.created_by).joined_late
    assert promise.pledges.at_reach().count() == promise.objective + 1  # the initiator too
    assert list(promise.pledges.on_the_way().values_list("user", flat=True)) == [people[-1].pk]


def test_it_decides_by_the_lock_even_when_the_clock_does_not_move(promise):
    # The transition and the late pledge at the very same instant: activated_at equals
    # reached_at, so the timestamps cannot tell them apart; the order of the lock can.
    with time_machine.travel(timezone.now(), tick=False):
        people = reach(promise, extra=1)
    late = _pledge(promise, people[-1])
    assert late.activated_at == promise.reached_at
    assert late.joined_late
    figures = promise_figures(promise)
    assert (figures.at_reached, figures.joined_late) == (promise.objective, 1)


def test_it_puts_a_pledge_confirmed_after_the_objective_on_the_way(promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)  # pledged while open, pending
    reach(promise)
    newcomer.emailaddress_set.update(verified=True)
    assert services.pledges_activate(user=newcomer) == 1
    assert _pledge(promise, newcomer).joined_late


def test_it_keeps_a_pledge_confirmed_before_the_objective_at_the_objective(promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)
    newcomer.emailaddress_set.update(verified=True)
    services.pledges_activate(user=newcomer)
    reach(promise, extra=1)
    assert not _pledge(promise, newcomer).joined_late
    assert promise.pledges.at_reach().filter(user=newcomer).exists()


def test_it_puts_someone_who_abandoned_and_pledged_again_on_the_way(promise):
    people = reach(promise)
    services.pledge_abandon(promise=promise, user=people[0])
    services.pledge_create(promise=promise, user=people[0])
    pledge = _pledge(promise, people[0])
    assert (pledge.status, pledge.joined_late) == (Pledge.Status.ACTIVE, True)


def test_it_counts_everyone_at_the_objective_when_the_sweep_reaches_it(promise):
    people = [UserFactory() for _ in range(2)]
    for user in people:
        services.pledge_create(promise=promise, user=user)
    Promise.objects.filter(pk=promise.pk).update(objective=2)  # lowered by a moderator
    assert services.promises_reach_overdue() == 1
    late = services.pledge_create(promise=promise, user=UserFactory())
    assert not promise.pledges.filter(user__in=people, joined_late=True).exists()
    assert late.joined_late


def test_it_keeps_a_participant_who_becomes_co_initiator_among_those_at_the_objective(promise):
    people = reach(promise)
    invitation = services.invitation_create(
        promise=promise, invited_by=promise.created_by, email=people[0].email
    )
    services.invitation_accept(invitation=invitation, user=people[0])
    pledge = _pledge(promise, people[0])
    assert (pledge.is_initiator, pledge.joined_late) == (True, False)


def test_it_puts_a_co_initiator_new_to_a_reached_promise_on_the_way(promise):
    reach(promise)
    newcomer = UserFactory()
    invitation = services.invitation_create(
        promise=promise, invited_by=promise.created_by, email=newcomer.email
    )
    services.invitation_accept(invitation=invitation, user=newcomer)
    assert _pledge(promise, newcomer).joined_late


def test_it_fills_the_flag_of_existing_late_joiners_from_their_timestamps(promise):
    people = reach(promise, extra=2)
    Pledge.objects.update(joined_late=False)  # as the rows were before the migration
    migration = importlib.import_module("promises.migrations.0003_pledge_joined_late")

    migration.fill_joined_late(apps, None)

    assert set(promise.pledges.on_the_way().values_list("user", flat=True)) == {
        u.pk for u in people[-2:]
    }
    assert promise.pledges.at_reach().count() == promise.objective + 1
