import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from promises import services
from promises.models import Promise
from promises.services import promises_fail_expired as fail_expired_promises


def test_it_makes_the_initiator_the_first_participant(promise, initiator):
    pledge = promise.pledges.get()
    assert pledge.user == initiator and pledge.is_initiator and pledge.is_active


def test_it_cancels_an_open_promise(promise):
    services.promise_cancel(promise=promise)
    promise.refresh_from_db()
    assert promise.state == Promise.State.CANCELLED
    assert promise.cancelled_at is not None


def test_it_refuses_to_cancel_a_reached_promise(promise):
    for _ in range(promise.objective):
        services.pledge_create(promise=promise, user=UserFactory())
    with pytest.raises(Refusal):
        services.promise_cancel(promise=promise)
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED


def test_it_fails_open_promises_whose_deadline_has_passed(promise, pledged):
    with time_machine.travel(promise.deadline + datetime.timedelta(minutes=1)):
        assert fail_expired_promises() == 1
        assert fail_expired_promises() == 0  # Idempotent: nothing left to fail.
    promise.refresh_from_db()
    assert promise.state == Promise.State.FAILED
    assert promise.failed_at is not None


def test_it_leaves_promises_before_their_deadline_open(promise):
    assert fail_expired_promises() == 0
    promise.refresh_from_db()
    assert promise.state == Promise.State.OPEN


def test_it_does_not_fail_a_reached_promise_after_its_deadline(promise):
    for _ in range(promise.objective):
        services.pledge_create(promise=promise, user=UserFactory())
    with time_machine.travel(promise.deadline + datetime.timedelta(days=1)):
        assert fail_expired_promises() == 0
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED


def test_it_changes_the_terms_while_nobody_else_has_pledged(promise):
    deadline = timezone.now() + datetime.timedelta(days=60)
    services.promise_update(
        promise=promise,
        data={"action": "planter des arbres", "objective": 10, "deadline": deadline},
    )
    promise.refresh_from_db()
    assert (promise.action, promise.objective, promise.deadline) == (
        "planter des arbres",
        10,
        deadline,
    )


def test_it_keeps_the_terms_once_someone_else_has_pledged(pledged):
    services.promise_update(
        promise=pledged,
        data={"action": "autre chose à faire", "objective": 99, "description": "Nouveau texte"},
    )
    pledged.refresh_from_db()
    assert pledged.objective == 3
    assert pledged.action != "autre chose à faire"
    assert pledged.description == "Nouveau texte"


def test_it_locks_the_terms_for_a_pending_pledge_until_it_is_withdrawn(promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)  # Pending: terms locked.
    assert promise.terms_locked()
    services.pledge_withdraw(promise=promise, user=newcomer)
    assert not promise.terms_locked()
