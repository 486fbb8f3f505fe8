"""Temporary SMTP errors are retried with back-off, a bounded number of times; permanent ones
fail at once. Both stay visible to moderators."""

import datetime

import time_machine
from django.utils import timezone

from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from promises.emails import REACHED
from promises.tests.factories import reach


def test_it_retries_a_temporary_error_later_with_back_off(smtp, promise, settings):
    people = reach(promise)
    smtp.replies[people[0].email] = "451 4.3.0 Mailbox busy, try later"
    broadcast = Broadcast.objects.get(kind=REACHED)

    send_broadcast(broadcast.pk)

    delivery = Delivery.objects.get(user=people[0])
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < first_wait <= datetime.timedelta(seconds=60)
    # The others were sent over the same run.
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == promise.objective

    send_broadcast(broadcast.pk)  # Not due yet: nothing happens.
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        send_broadcast(broadcast.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        # Twice as long the second time.
        assert datetime.timedelta(seconds=110) < delivery.next_attempt_at - timezone.now()

    del smtp.replies[people[0].email]  # The mailbox is back.
    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        send_broadcast(broadcast.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert smtp.recipients[people[0].email] == 1


def test_it_gives_up_after_the_last_attempt(smtp, promise, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    people = reach(promise)
    smtp.replies[people[0].email] = "421 4.7.0 Try again later"
    broadcast = Broadcast.objects.get(kind=REACHED)
    start = timezone.now()
    for attempt in range(settings.OUTBOX_MAX_ATTEMPTS):
        with time_machine.travel(start + datetime.timedelta(hours=attempt)):
            send_broadcast(broadcast.pk)
    delivery = Delivery.objects.get(user=people[0])
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3


def test_it_fails_a_permanent_error_at_once(smtp, promise):
    people = reach(promise)
    smtp.replies[people[0].email] = "550 5.1.1 No such user"
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)
    delivery = Delivery.objects.get(user=people[0])
    assert delivery.status == Delivery.Status.FAILED
    assert "550" in delivery.last_error
    assert smtp.recipients[people[1].email] == 1


def test_it_retries_when_the_smtp_server_is_down(smtp, promise, settings):
    reach(promise)
    settings.EMAIL_PORT = 1  # Nothing listens there.
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.PENDING, 1)}
