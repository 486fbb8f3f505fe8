"""The email outbox. A transition writes a Broadcast in its own transaction; a Celery task
expands it into one Delivery per recipient, then workers claim pending deliveries in batches,
send them over one SMTP connection and mark each one sent as soon as the server accepts it.
The periodic sweep re-enqueues whatever a lost message, a dead worker or a down Redis left.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import emails, kinds
from .kinds import Cadence
from .models import Broadcast, Delivery, EmailPreference

logger = logging.getLogger(__name__)


# --- Creating broadcasts (called by the apps' services, inside their transaction) -------------


def broadcast_create(
    *, promise: Model, kind: str, recipient=None, post=None, comment=None, update=None
) -> Broadcast | None:
    """Write the broadcast of an event of `kind` (a registered name), to be sent once the
    transaction commits. For a once-per-promise kind, at most one is ever written per promise:
    None if it already exists (the event had already happened; nothing more to send)."""
    entry = kinds.kind(kind)
    if entry.once_per_promise:
        # The unique constraint decides, even between two transactions at once: the second
        # INSERT waits for the first to commit, fails, and get_or_create then reads its row.
        broadcast, created = Broadcast.objects.get_or_create(
            promise=promise, kind=kind, once_per_promise=True
        )
        if not created:
            return None
    else:
        broadcast = Broadcast.objects.create(
            promise=promise,
            kind=kind,
            recipient=recipient,
            post=post,
            comment=comment,
            update=update,
        )
    broadcast_id = broadcast.pk
    transaction.on_commit(lambda: enqueue_broadcast(broadcast_id=broadcast_id))
    return broadcast


def enqueue_broadcast(*, broadcast_id: int) -> bool:
    """Hand the broadcast to a worker. If the broker is unreachable, say so in the log and go
    on: the broadcast is stored, and the periodic sweep will enqueue it again."""
    from .tasks import send_broadcast

    try:
        send_broadcast.apply_async(args=[broadcast_id], retry=False)
    except Exception:  # noqa: BLE001 (any broker failure; the outbox row is the source of truth)
        logger.warning("Broker unreachable; broadcast %s left to the sweep", broadcast_id)
        return False
    return True


# --- Expanding a broadcast into deliveries ----------------------------------------------------


def cadence_of(topic: str, user_ref: str = "pk") -> Coalesce:
    """Each user's cadence for the topic (user_ref names the user's id in the outer query): the
    one they chose, else the topic's default."""
    choice = EmailPreference.objects.filter(user_id=OuterRef(user_ref), topic=topic)
    return Coalesce(
        Subquery(choice.values("cadence")[:1]),
        Value(kinds.topic(topic).default),
        output_field=CharField(),
    )


def audience(broadcast: Broadcast) -> QuerySet:
    """Who a broadcast is about, as users annotated with their cadence for its topic: its
    kind's rule, then what holds for every kind (an active account, the single recipient if
    there is one). Run to expand it, and again at send time, so that someone who withdrew,
    abandoned, changed their choice or closed their account since then gets what they now
    want, or nothing."""
    kind = kinds.kind(broadcast.kind)
    users = get_user_model().objects.filter(is_active=True, pk__in=kind.recipients(broadcast))
    if broadcast.recipient_id is not None:
        users = users.filter(pk=broadcast.recipient_id)
    return users.annotate(cadence=cadence_of(kind.topic))


def recipients(broadcast: Broadcast) -> QuerySet:
    """Who receives the broadcast's own email: its audience, but those who take the topic as a
    digest (their delivery waits for it) or not at all."""
    return audience(broadcast).filter(cadence=Cadence.IMMEDIATE)


def broadcast_expand(*, broadcast: Broadcast) -> int:
    """One INSERT … SELECT of the audience's query, idempotent thanks to the unique
    (broadcast, user): nothing is loaded into Python, whatever the number of recipients. Those
    who take the topic as a digest get a delivery that waits for it (held); those who turned it
    off, none."""
    if broadcast.expanded_at is not None:
        return 0
    rows = (
        audience(broadcast)
        .exclude(cadence=Cadence.NEVER)
        .annotate(
            delivery_status=Case(
                When(cadence=Cadence.IMMEDIATE, then=Value(Delivery.Status.PENDING)),
                default=Value(Delivery.Status.HELD),
            )
        )
        .values("pk", "delivery_status")
    )
    select, params = rows.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO notifications_delivery
                (broadcast_id, user_id, status, attempts, next_attempt_at, last_error)
            SELECT %s, r.user_id, r.status, 0, %s, ''
            FROM ({select}) AS r (user_id, status)
            ON CONFLICT (broadcast_id, user_id) DO NOTHING
            """,  # noqa: S608  # nosec B608 (the ORM's own SQL, with its parameters)
            [broadcast.pk, timezone.now(), *params],
        )
        created = cursor.rowcount
        Broadcast.objects.filter(pk=broadcast.pk, expanded_at__isnull=True).update(
            expanded_at=timezone.now()
        )
    return created


# --- Claiming and sending ---------------------------------------------------------------------


def claim(model: type[Model], *, limit: int, scope: str = "TRUE", **params) -> list[int]:
    """Take up to `limit` pending rows of the outbox's table (deliveries, digests) for a while
    (the lease). SKIP LOCKED lets several workers share the work; the lease lets another take
    over from a worker that died. `scope`: a further SQL condition, with its named params."""
    # One clock for the whole outbox: the application's (timezone.now()), not the database's.
    now = timezone.now()
    lease_end = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET claimed_until = %(lease_end)s
            WHERE id IN (
                SELECT id FROM {table}
                WHERE status = 'pending' AND ({scope})
                  AND next_attempt_at <= %(now)s
                  AND (claimed_until IS NULL OR claimed_until < %(now)s)
                ORDER BY id
                LIMIT %(limit)s
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,  # noqa: S608  # nosec B608 (a model's table and a condition of this module's callers)
            {"lease_end": lease_end, "now": now, "limit": limit, **params},
        )
        return sorted(row[0] for row in cursor.fetchall())


def deliveries_claim(*, broadcast_id: int, limit: int) -> list[int]:
    """Take up to `limit` pending deliveries of the broadcast (see claim)."""
    return claim(
        Delivery, limit=limit, scope="broadcast_id = %(broadcast)s", broadcast=broadcast_id
    )


def is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # Lost connections, timeouts, refused connections (SMTPException is an OSError too): the
    # server may be back soon. Anything else (a bug, a bad address) will not get better.
    return isinstance(error, OSError)


def mark(row: Model, **fields) -> None:
    """Only a row (a delivery, a digest) still pending changes: one finished by someone else
    stays finished."""
    type(row).objects.filter(pk=row.pk, status="pending").update(**fields)


def _mark_sent(cursor, delivery_id: int) -> None:
    # The hot path of a large broadcast: one plain UPDATE per email (the ORM's costs 5× the CPU).
    cursor.execute(
        "UPDATE notifications_delivery SET status = 'sent', sent_at = %s "
        "WHERE id = %s AND status = 'pending'",
        [timezone.now(), delivery_id],
    )


def failed(row: Model, error: Exception) -> str:
    """A delivery or a digest that could not be sent: tried again later with a growing delay
    if the error may pass, else failed for good. Returns "retry" or "failed"."""
    if is_temporary(error):
        retry_later(row, error)
        return "retry"
    mark(row, status="failed", last_error=str(error))
    return "failed"


def retry_later(row: Model, error: Exception) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        mark(row, status="failed", attempts=attempts, last_error=str(error))
        return
    backoff = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    mark(
        row,
        attempts=attempts,
        last_error=str(error),
        claimed_until=None,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=backoff),
    )


def _cadences_now(broadcast: Broadcast, deliveries: list[Delivery]) -> dict[int, str]:
    """Whether to send is decided now, by the same rule as the expansion: each recipient still
    concerned, with their cadence for the topic."""
    user_ids = [d.user_id for d in deliveries if d.user_id]
    return dict(audience(broadcast).filter(pk__in=user_ids).values_list("pk", "cadence"))


def deliveries_send(
    *,
    broadcast: Broadcast,
    delivery_ids: list[int],
    renderer: emails.BroadcastEmails | None = None,
) -> dict[str, int]:
    """Send claimed deliveries over one SMTP connection; each is marked as soon as it is sent,
    so a crash sends at most the message in flight twice. Pass the same renderer for every
    batch of a broadcast: its templates are then rendered once."""
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
        .select_related("user")
        .order_by("pk")
    )
    cadences = _cadences_now(broadcast, deliveries)
    concerned = {user_id for user_id, cadence in cadences.items() if cadence == Cadence.IMMEDIATE}
    # Who chose a digest since the expansion waits for it; who is no longer concerned, or
    # turned the topic off, is skipped: one UPDATE each.
    held = [d.pk for d in deliveries if cadences.get(d.user_id) in kinds.DIGESTS]
    Delivery.objects.filter(pk__in=held, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.HELD, claimed_until=None
    )
    skipped = [d.pk for d in deliveries if d.user_id not in concerned and d.pk not in held]
    Delivery.objects.filter(pk__in=skipped, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED
    )
    counts = {"sent": 0, "skipped": len(skipped), "held": len(held), "retry": 0, "failed": 0}
    renderer = renderer or emails.BroadcastEmails(broadcast)
    templates = renderer.templates(concerned)  # the kind's, or a variant: one query at most
    smtp = get_connection()
    cursor = connection.cursor()
    # Each "sent" mark is committed at once (a dead worker loses none), without waiting for the
    # disk: only a crash of Postgres itself could lose the last fraction of a second of marks,
    # whose emails would then be sent a second time.
    cursor.execute("SET synchronous_commit TO off")
    try:
        for delivery in deliveries:
            if delivery.user_id not in concerned:
                continue
            message = renderer.message(
                user=delivery.user, template=templates[delivery.user_id], connection=smtp
            )
            try:
                # Opened here, not by send(): Django's backend closes after each message a
                # connection that send() opened itself. open() is a no-op when already open.
                smtp.open()
                message.send()
            except Exception as error:  # noqa: BLE001 (classified by failed())
                smtp.close()  # A failed conversation is not reused; the next message reopens.
                counts[failed(delivery, error)] += 1
                continue
            _mark_sent(cursor, delivery.pk)
            counts["sent"] += 1
    finally:
        smtp.close()
        cursor.execute("RESET synchronous_commit")
        cursor.close()
    return counts


# --- The sweep --------------------------------------------------------------------------------


def broadcasts_needing_work() -> list[int]:
    """Broadcasts not expanded yet, or with due pending deliveries that nobody holds."""
    now = timezone.now()
    unexpanded = Broadcast.objects.filter(expanded_at__isnull=True).values_list("pk", flat=True)
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .exclude(claimed_until__gte=now)
        .values_list("broadcast_id", flat=True)
        .distinct()
    )
    return sorted(set(unexpanded) | set(due))


# --- Preferences ------------------------------------------------------------------------------


def topic_set(*, user, topic: str, cadence: str) -> None:
    EmailPreference.objects.update_or_create(
        user=user, topic=topic, defaults={"cadence": cadence, "updated_at": timezone.now()}
    )


@transaction.atomic
def topics_set(*, user, cadences: dict[str, str]) -> None:
    """Store the user's cadence for each of these topics (the preferences form)."""
    for key, cadence in cadences.items():
        if cadence not in kinds.topic(key).cadences:
            raise ValueError(f"The topic {key!r} cannot come {cadence!r}.")
        topic_set(user=user, topic=key, cadence=cadence)


def topic_cadences(*, user) -> dict[str, str]:
    """Each topic's cadence for this user: their choice, or the topic's default."""
    choices = dict(user.email_preferences.values_list("topic", "cadence"))
    return {t.key: choices.get(t.key, t.default) for t in kinds.topics()}


def topics_wanted(*, user) -> set[str]:
    """The topics this user receives, each time or as a digest."""
    return {key for key, cadence in topic_cadences(user=user).items() if cadence != Cadence.NEVER}
