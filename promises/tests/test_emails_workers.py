"""The outbox against real failures: real `celery worker` processes, the real Redis, a real
SMTP server on 127.0.0.1, and committed data (transactional tests)."""

import time

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from conftest import TEST_REDIS_URL, use_broker
from notifications.models import Broadcast, Delivery
from notifications.tasks import sweep
from promises import services
from promises.emails import REACHED
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # Nothing listens on port 1.


@pytest.fixture(autouse=True)
def _empty_queue():
    # Tasks left by earlier tests (whose rows are gone) would only slow the worker down.
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def wait_until(condition, timeout=60.0) -> bool:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if condition():
            return True
        time.sleep(0.1)
    return False


def bulk_participants(promise: Promise, count: int) -> None:
    """Many confirmed participants, quickly: rows written as the services would write them."""
    people = UserFactory.create_batch(count)
    Pledge.objects.bulk_create(
        Pledge(
            promise=promise, user=u, status=Pledge.Status.ACTIVE, activated_at=promise.created_at
        )
        for u in people
    )
    Promise.objects.filter(pk=promise.pk).update(pledge_count=count)


def test_it_keeps_a_pledge_made_while_redis_is_down_and_delivers_once_it_is_back(
    smtp, worker_factory
):
    promise = PromiseFactory(objective=3)
    for user in UserFactory.create_batch(2):
        services.pledge_create(promise=promise, user=user)
    last = UserFactory()
    client = Client()
    client.force_login(last)

    use_broker(CLOSED_PORT_BROKER)
    try:
        response = client.post(reverse("promises:pledge", args=[promise.slug]))
    finally:
        use_broker(TEST_REDIS_URL)

    # The visitor saw a normal answer; the pledge, the transition and the broadcast are stored.
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    broadcast = Broadcast.objects.get(kind=REACHED)
    assert broadcast.expanded_at is None

    # Redis is back: a worker starts and the periodic sweep finds the broadcast.
    worker_factory().start()
    assert sweep()["enqueued"] == 1
    assert smtp.wait_for(4, timeout=60)
    assert len(smtp.messages) == 4  # the initiator and the three participants
    assert set(smtp.recipients.values()) == {1}


def test_it_loses_no_email_when_a_worker_is_killed_half_way(smtp, worker_factory, capsys):
    recipients = 600
    promise = PromiseFactory(objective=recipients + 1)
    bulk_participants(promise, recipients)
    smtp.delay = 0.005  # A little SMTP latency, so that the kill lands in the middle.
    env = {"OUTBOX_BATCH_SIZE": 50, "OUTBOX_PARALLELISM": 1, "OUTBOX_LEASE_SECONDS": 3}
    first = worker_factory(**env).start(concurrency=1)

    services.pledge_create(promise=promise, user=UserFactory())  # Reaches: broadcast enqueued.
    expected = recipients + 2  # the participants, the last one, and the initiator
    assert smtp.wait_for(expected // 3, timeout=60)
    first.kill()
    received_at_kill = len(smtp.messages)
    connection.close()
    assert received_at_kill < expected
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).exists()

    # A new worker starts; the dead worker's task message is still unacknowledged in Redis, so
    # the sweep re-enqueues the broadcast once the dead worker's lease has run out.
    worker_factory(**env).start(concurrency=1)
    time.sleep(3.5)  # the lease (OUTBOX_LEASE_SECONDS) of the batch the dead worker held
    assert sweep()["enqueued"] == 1
    assert wait_until(lambda: len(smtp.recipients) == expected, timeout=120)
    assert wait_until(
        lambda: not Delivery.objects.exclude(status=Delivery.Status.SENT).exists(), timeout=30
    )

    duplicates = len(smtp.messages) - expected
    with capsys.disabled():
        print(
            f"\n  worker killed after {received_at_kill}/{expected} emails; "
            f"sent twice: {duplicates}"
        )
    assert 0 <= duplicates <= 1  # at most the one message in flight when the worker died
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected
