"""Two workers on one broadcast at once: each recipient gets exactly one email."""

import threading

import pytest
from django.db import connection

from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from notifications.tests.factories import reach
from promises.tests.factories import PromiseFactory


@pytest.mark.django_db(transaction=True)
def test_it_sends_each_recipient_one_email_when_two_workers_run_at_once(smtp, settings):
    settings.OUTBOX_BATCH_SIZE = 10
    promise = PromiseFactory(objective=120)
    reach(promise)
    broadcast = Broadcast.objects.get(kind=Broadcast.Kind.REACHED)
    barrier = threading.Barrier(2)

    def work():
        barrier.wait(timeout=10)
        try:
            send_broadcast(broadcast.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(smtp.messages) == promise.objective + 1
    assert set(smtp.recipients.values()) == {1}
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == promise.objective + 1
