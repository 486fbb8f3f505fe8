"""Each transition writes its broadcast in its own transaction, and enqueues it on commit."""

import datetime

import time_machine

from accounts.tests.factories import UserFactory
from notifications.models import Broadcast
from promises import services
from promises.emails import CANCELLED, FAILED, JOINED_LATE, REACHED
from promises.tests.factories import reach


def test_it_writes_one_reached_broadcast_with_the_transition(
    promise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        reach(promise)
    assert list(Broadcast.objects.values_list("kind", "promise_id", "recipient_id")) == [
        (REACHED, promise.pk, None)
    ]
    assert len(callbacks) == 1  # The task is enqueued only once the transaction commits.


def test_it_writes_nothing_before_the_objective(pledged):
    assert not Broadcast.objects.exists()


def test_it_welcomes_each_late_joiner_personally(promise):
    late = reach(promise, extra=2)[-2:]
    welcomes = Broadcast.objects.filter(kind=JOINED_LATE)
    assert sorted(welcomes.values_list("recipient_id", flat=True)) == sorted(u.pk for u in late)


def test_it_welcomes_a_late_joiner_when_their_email_is_confirmed(promise):
    reach(promise)
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)
    assert not Broadcast.objects.filter(kind=JOINED_LATE).exists()
    newcomer.emailaddress_set.update(verified=True)
    services.pledges_activate(user=newcomer)
    assert Broadcast.objects.filter(kind=JOINED_LATE, recipient=newcomer).exists()


def test_it_writes_a_failed_broadcast_when_the_deadline_passes(pledged):
    with time_machine.travel(pledged.deadline + datetime.timedelta(minutes=1)):
        services.promises_fail_expired()
    assert Broadcast.objects.filter(kind=FAILED, promise=pledged).count() == 1


def test_it_writes_a_cancelled_broadcast(pledged):
    services.promise_cancel(promise=pledged)
    assert Broadcast.objects.filter(kind=CANCELLED, promise=pledged).count() == 1
