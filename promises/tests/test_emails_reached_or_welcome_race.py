"""Pledges pour in at X−1 while the "reached" broadcast is being expanded and
sent by a real worker. Each participant gets exactly one of "Objectif atteint" (counted when
the objective was reached) and "Bienvenue" (joined after), never both. Real Postgres, real
`celery worker`, real SMTP server; committed data."""

import functools
import threading
import time
from collections import defaultdict

import pytest
import redis
from django.db import connection

from accounts.tests.factories import UserFactory
from conftest import TEST_REDIS_URL
from notifications import services as outbox
from notifications.models import Broadcast, Delivery
from promises import emails, services
from promises.figures import promise_figures
from promises.tests.factories import PromiseFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 40
ROUNDS = 3
OBJECTIVE = 5
REACHED = "Objectif atteint\u00a0: passez à l'action\u00a0!"
WELCOME = "Bienvenue\u00a0! L'objectif est atteint\u00a0: passez à l'action"


def _wait_until(condition, timeout: float = 60.0) -> bool:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _race(promise, users) -> tuple[list, list]:
    """Every user pledges at once, while one more thread expands the "reached" broadcast the
    moment it is committed, then again and again while the pledges queued on the lock go on
    committing: the row is loaded once, as by tasks that loaded it before it was marked
    expanded (OUTBOX_PARALLELISM), and expansion is idempotent by design, so each call runs
    the recipients rule again, later and later. Returns the errors and the users whose pledge
    made the count reach the objective, as seen under the lock (not from the flag)."""
    barrier = threading.Barrier(len(users) + 1)
    pledging = threading.Event()
    errors, reached_by = [], []

    def pledge(user):
        try:
            barrier.wait(timeout=30)
            pledge = services.pledge_create(promise=promise, user=user)
            # The count read under the lock: exactly one pledge brings it to the objective.
            if pledge.promise.pledge_count == OBJECTIVE:
                reached_by.append(user)
        except Exception as error:  # noqa: BLE001 (collected and asserted by the caller)
            errors.append(error)
        finally:
            connection.close()

    def expand():
        try:
            barrier.wait(timeout=30)
            broadcast = None
            while pledging.is_set():
                if broadcast is None:
                    broadcast = Broadcast.objects.filter(
                        promise=promise, kind=emails.REACHED
                    ).first()
                if broadcast is not None:
                    outbox.broadcast_expand(broadcast=broadcast)
                time.sleep(0.001)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    pledging.set()
    threads = [threading.Thread(target=pledge, args=(u,)) for u in users]
    expander = threading.Thread(target=expand)
    for thread in [expander, *threads]:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    pledging.clear()
    expander.join(timeout=30)
    return errors, reached_by


def _all_sent(smtp, promise, emails: set[str]) -> bool:
    return (
        sum(1 for m in smtp.messages if str(m["To"]) in emails) >= len(emails)
        and not Delivery.objects.filter(
            broadcast__promise=promise, status=Delivery.Status.PENDING
        ).exists()
        and not Broadcast.objects.filter(promise=promise, expanded_at__isnull=True).exists()
    )


def test_it_sends_each_participant_one_of_reached_or_welcome_when_pledges_race_the_expansion(
    smtp, worker_factory, capsys
):
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()  # tasks of earlier tests would slow it down
    worker_factory().start(concurrency=2)
    for round_number in range(1, ROUNDS + 1):
        promise = PromiseFactory(objective=OBJECTIVE)
        early = UserFactory.create_batch(OBJECTIVE - 1)
        for user in early:
            services.pledge_create(promise=promise, user=user)  # X−1: nothing sent yet
        racers = UserFactory.create_batch(THREADS)

        errors, reached_by = _race(promise, racers)

        assert errors == []
        assert len(reached_by) == 1
        # What the beat's sweep does: deliveries added after the worker's last claim are sent.
        for broadcast_id in outbox.broadcasts_needing_work():
            outbox.enqueue_broadcast(broadcast_id=broadcast_id)
        emails = {u.email for u in [promise.created_by, *early, *racers]}
        assert _wait_until(functools.partial(_all_sent, smtp, promise, emails), timeout=120)
        time.sleep(0.5)  # anything sent twice would arrive now
        received = defaultdict(list)
        for message in smtp.messages:
            if str(message["To"]) in emails:
                received[str(message["To"])].append(str(message["Subject"]).strip())
        counted_at_transition = {u.email for u in [promise.created_by, *early, *reached_by]}
        got_reached = {to for to, subjects in received.items() if REACHED in subjects}
        got_welcome = {to for to, subjects in received.items() if WELCOME in subjects}
        with capsys.disabled():
            print(
                f"\n  round {round_number}, {THREADS} threads: {len(got_welcome)} welcomes, "
                f"{len(got_reached)} reached, {len(got_reached & got_welcome)} both"
            )

        assert got_reached & got_welcome == set()
        assert got_reached == counted_at_transition
        assert got_welcome == emails - counted_at_transition
        assert {to: len(subjects) for to, subjects in received.items()} == dict.fromkeys(emails, 1)
        # Decided right at expansion, not only at send time: no delivery had to be skipped.
        assert not Delivery.objects.filter(
            broadcast__promise=promise, status=Delivery.Status.SKIPPED
        ).exists()
        # The bilan counts the same people as the emails (the initiator apart).
        promise.refresh_from_db()
        figures = promise_figures(promise)
        assert (figures.at_reached, figures.joined_late) == (OBJECTIVE, THREADS - 1)
