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
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from . import emails, kinds
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


def recipients(broadcast: Broadcast) -> QuerySet:
    """Who receives a broadcast, as users: its kind's rule, then what holds for every kind (an
    active account, the topic not turned off, the single recipient if there is one). Used to
    expand it, and again at send time, so that someone who withdrew, abandoned, turned the
    topic off or closed their account since then gets nothing."""
    kind = kinds.kind(broadcast.kind)
    users = get_user_model().objects.filter(is_active=True, pk__in=kind.recipients(broadcast))
    if broadcast.recipient_id is not None:
        users = users.filter(pk=broadcast.recipient_id)
    choices = EmailPreference.objects.filter(user_id=OuterRef("pk"), topic=kind.topic)
    if kinds.topic(kind.topic).default:
        return users.exclude(Exists(choices.filter(enabled=False)))
    return users.filter(Exists(choices.filter(enabled=True)))


def broadcast_expand(*, broadcast: Broadcast) -> int:
    """One INSERT … SELECT of the recipients' query, idempotent thanks to the unique
    (broadcast, user): nothing is loaded into Python, whatever the number of recipients."""
    if broadcast.expanded_at is not None:
        return 0
    select, params = recipients(broadcast).values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO notifications_delivery
                (broadcast_id, user_id, status, attempts, next_attempt_at, last_error)
            SELECT %s, r.user_id, 'pending', 0, %s, ''
            FROM ({select}) AS r (user_id)
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


def deliveries_claim(*, broadcast_id: int, limit: int) -> list[int]:
    """Take up to `limit` pending deliveries for a while (the lease). SKIP LOCKED lets several
    workers share one broadcast; the lease lets another take over from a worker that died."""
    # One clock for the whole outbox: the application's (timezone.now()), not the database's.
    now = timezone.now()
    lease_end = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE notifications_delivery SET claimed_until = %(lease_end)s
            WHERE id IN (
                SELECT id FROM notifications_delivery
                WHERE broadcast_id = %(broadcast)s AND status = 'pending'
                  AND next_attempt_at <= %(now)s
                  AND (claimed_until IS NULL OR claimed_until < %(now)s)
                ORDER BY id
                LIMIT %(limit)s
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            {"lease_end": lease_end, "broadcast": broadcast_id, "now": now, "limit": limit},
        )
        return sorted(row[0] for row in cursor.fetchall())


def _is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # Lost connections, timeouts, refused connections (SMTPException is an OSError too): the
    # server may be back soon. Anything else (a bug, a bad address) will not get better.
    return isinstance(error, OSError)


def _mark(delivery_id: int, **fields) -> None:
    # Only a delivery still pending changes: a delivery finished by someone else stays finished.
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(**fields)


def _mark_sent(cursor, delivery_id: int) -> None:
    # The hot path of a large broadcast: one plain UPDATE per email (the ORM's costs 5× the CPU).
    cursor.execute(
        "UPDATE notifications_delivery SET status = 'sent', sent_at = %s "
        "WHERE id = %s AND status = 'pending'",
        [timezone.now(), delivery_id],
    )


def _retry_later(delivery: Delivery, error: Exception) -> None:
    attempts = delivery.attempts + 1
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _mark(delivery.pk, status=Delivery.Status.FAILED, attempts=attempts, last_error=str(error))
        return
    backoff = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    _mark(
        delivery.pk,
        attempts=attempts,
        last_error=str(error),
        claimed_until=None,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=backoff),
    )


def _recipients_still_concerned(broadcast: Broadcast, deliveries: list[Delivery]) -> set[int]:
    """Whether to send is decided now, by the same rule as the expansion."""
    user_ids = [d.user_id for d in deliveries if d.user_id]
    return set(recipients(broadcast).filter(pk__in=user_ids).values_list("pk", flat=True))


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
    concerned = _recipients_still_concerned(broadcast, deliveries)
    # Those no longer concerned are skipped in one UPDATE.
    skipped = [d.pk for d in deliveries if d.user_id not in concerned]
    Delivery.objects.filter(pk__in=skipped, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED
    )
    counts = {"sent": 0, "skipped": len(skipped), "retry": 0, "failed": 0}
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
            except Exception as error:  # noqa: BLE001 (classified just below)
                smtp.close()  # A failed conversation is not reused; the next message reopens.
                if _is_temporary(error):
                    _retry_later(delivery, error)
                    counts["retry"] += 1
                else:
                    _mark(delivery.pk, status=Delivery.Status.FAILED, last_error=str(error))
                    counts["failed"] += 1
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


def topic_set(*, user, topic: str, enabled: bool) -> None:
    EmailPreference.objects.update_or_create(
        user=user, topic=topic, defaults={"enabled": enabled, "updated_at": timezone.now()}
    )


@transaction.atomic
def topics_set(*, user, wanted: set[str]) -> None:
    for topic in kinds.topics():
        topic_set(user=user, topic=topic.key, enabled=topic.key in wanted)


def topics_wanted(*, user) -> set[str]:
    """The topics this user receives: their choice, or the topic's default."""
    choices = dict(user.email_preferences.values_list("topic", "enabled"))
    return {t.key for t in kinds.topics() if choices.get(t.key, t.default)}
