"""Two workers on one broadcast at once: each recipient gets exactly one email."""

import pytest

from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from promises.emails import REACHED
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import race


@pytest.mark.django_db(transaction=True)
def test_it_sends_each_recipient_one_email_when_two_workers_run_at_once(smtp, settings):
    settings.OUTBOX_BATCH_SIZE = 10
    promise = PromiseFactory(objective=120)
    reach(promise)
    broadcast = Broadcast.objects.get(kind=REACHED)
    assert race(lambda: send_broadcast(broadcast.pk), [(), ()]) == []

    assert len(smtp.messages) == promise.objective + 1
    assert set(smtp.recipients.values()) == {1}
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == promise.objective + 1
