"""Thin Celery tasks: they take ids, call services, and are safe to run twice or in parallel."""

import time

from celery import shared_task
from django.conf import settings

from . import digests as digests_
from . import emails, kinds, services
from .models import Broadcast


@shared_task(ignore_result=True)
def send_broadcast(broadcast_id: int) -> dict[str, int] | None:
    """Expand the broadcast if needed, then send its due deliveries batch after batch. A task
    works for a bounded time, then hands the rest to a fresh task: no task outlives its time
    limit, and other work gets its turn."""
    broadcast = Broadcast.objects.select_related("promise").filter(pk=broadcast_id).first()
    if broadcast is None:
        return None
    if services.broadcast_expand(broadcast=broadcast) > settings.OUTBOX_BATCH_SIZE:
        # A large broadcast: let the other worker processes share it (SKIP LOCKED claims).
        for _ in range(settings.OUTBOX_PARALLELISM - 1):
            services.enqueue_broadcast(broadcast_id=broadcast_id)
    totals = {"sent": 0, "skipped": 0, "held": 0, "retry": 0, "failed": 0}
    renderer = emails.BroadcastEmails(broadcast)  # the templates, rendered once for the task
    stop_at = time.monotonic() + settings.OUTBOX_TASK_BUDGET_SECONDS
    while True:
        ids = services.deliveries_claim(broadcast_id=broadcast_id, limit=settings.OUTBOX_BATCH_SIZE)
        if not ids:
            return totals
        sent = services.deliveries_send(broadcast=broadcast, delivery_ids=ids, renderer=renderer)
        for key, value in sent.items():
            totals[key] += value
        if time.monotonic() > stop_at:
            services.enqueue_broadcast(broadcast_id=broadcast_id)
            return totals


@shared_task(ignore_result=True)
def sweep() -> dict[str, int]:
    """Periodic (Celery beat): re-enqueue broadcasts with work left (lost task messages, a dead
    worker's lease run out, Redis down at the time, retries now due). The promises' own
    periodic work (deadlines, reminders) is promises.tasks.sweep."""
    pending = services.broadcasts_needing_work()
    for broadcast_id in pending:
        services.enqueue_broadcast(broadcast_id=broadcast_id)
    return {"enqueued": len(pending)}


@shared_task(ignore_result=True)
def digests() -> dict[str, int]:
    """Periodic (Celery beat): build the daily and weekly digests of the periods just ended
    (once each, whatever the number of runs), then send those due, batch after batch, for a
    bounded time; the next run goes on where this one stopped."""
    totals = {
        "built": sum(digests_.digests_build(cadence=c) for c in kinds.DIGESTS),
        "sent": 0,
        "skipped": 0,
        "retry": 0,
        "failed": 0,
    }
    stop_at = time.monotonic() + settings.OUTBOX_TASK_BUDGET_SECONDS
    while time.monotonic() < stop_at:
        ids = digests_.digests_claim(limit=settings.OUTBOX_BATCH_SIZE)
        if not ids:
            break
        for key, value in digests_.digests_send(digest_ids=ids).items():
            totals[key] += value
    return totals
