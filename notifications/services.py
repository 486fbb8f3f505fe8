"""The email outbox. A transition writes a Broadcast in its own transaction; a Celery task
expands it into one Delivery per recipient, then workers claim pending deliveries in batches,
send them over one SMTP connection and mark each one sent as soon as the server accepts it.
The periodic sweep re-enqueues whatever a lost message, a dead worker or a down Redis left.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from promises.models import Pledge, Promise

from . import emails
from .models import Broadcast, Delivery, EmailPreference, Topic

logger = logging.getLogger(__name__)


# --- Creating broadcasts (called by the promise services, inside their transaction) -----------


def broadcast_create(
    *, promise: Promise, kind: str, recipient=None, post=None, comment=None, update=None
) -> Broadcast:
    if kind in Broadcast.ONCE_PER_PROMISE:
        broadcast, _ = Broadcast.objects.get_or_create(promise=promise, kind=kind)
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

_EVERYONE_ACTIVE = (
    Broadcast.Kind.FAILED,
    Broadcast.Kind.ACTION_REMINDER,
    Broadcast.Kind.REPLY,
)
_PARTICIPANTS_ACTIVE = (
    Broadcast.Kind.CANCELLED,  # initiators cancelled it themselves
    Broadcast.Kind.UPDATE,
    Broadcast.Kind.INITIATOR_POST,
)


def recipients(broadcast: Broadcast) -> QuerySet:
    """The one rule of who receives a broadcast, as pledges: used to expand it, and again at
    send time, so that someone who withdrew, abandoned, turned the topic off or closed their
    account since then gets nothing."""
    kind, promise_id = broadcast.kind, broadcast.promise_id
    pledges = Pledge.objects.filter(user__is_active=True)
    if kind == Broadcast.Kind.REACHED:
        # Those counted when the objective was reached, not everyone active when the worker
        # gets to it: whoever pledged in between is welcomed personally (JOINED_LATE) instead.
        # A flag decided under the promise lock (Pledge.joined_late), so this query gives the
        # same answer at expansion and at send time.
        pledges = pledges.filter(promise_id=promise_id, status=Pledge.Status.ACTIVE).at_reach()
    elif kind == Broadcast.Kind.JOINED_LATE:
        pledges = pledges.filter(promise_id=promise_id, status=Pledge.Status.ACTIVE).on_the_way()
    elif kind in _EVERYONE_ACTIVE:
        pledges = pledges.filter(promise_id=promise_id, status=Pledge.Status.ACTIVE)
    elif kind in _PARTICIPANTS_ACTIVE:
        pledges = pledges.filter(
            promise_id=promise_id, status=Pledge.Status.ACTIVE, is_initiator=False
        )
    elif kind == Broadcast.Kind.RECAP:  # abandoners included
        pledges = pledges.filter(
            promise_id=promise_id,
            status__in=[Pledge.Status.ACTIVE, Pledge.Status.ABANDONED],
            is_initiator=False,
        )
    elif kind == Broadcast.Kind.RECAP_REMINDER:
        pledges = pledges.filter(
            promise_id=promise_id, status=Pledge.Status.ACTIVE, is_initiator=True
        )
    elif kind == Broadcast.Kind.RELAUNCH:  # the former participants, if not back already
        pledges = pledges.filter(
            promise__relaunches=promise_id, status=Pledge.Status.ACTIVE, is_initiator=False
        ).exclude(user__pledges__promise_id=promise_id)
    else:
        raise ValueError(f"no recipients rule for {kind!r}")
    if broadcast.recipient_id is not None:
        pledges = pledges.filter(user_id=broadcast.recipient_id)
    topic = broadcast.topic
    choices = EmailPreference.objects.filter(user_id=OuterRef("user_id"), topic=topic)
    if Topic.default(topic):
        return pledges.exclude(Exists(choices.filter(enabled=False)))
    return pledges.filter(Exists(choices.filter(enabled=True)))


def broadcast_expand(*, broadcast: Broadcast) -> int:
    """One INSERT … SELECT of the recipients' query, idempotent thanks to the unique
    (broadcast, user): nothing is loaded into Python, whatever the number of recipients."""
    if broadcast.expanded_at is not None:
        return 0
    select, params = recipients(broadcast).values("user_id").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO notifications_delivery
                (broadcast_id, user_id, status, attempts, next_attempt_at, last_error)
            SELECT %s, r.user_id, 'pending', 0, %s, ''
            FROM ({select}) r
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
    return set(recipients(broadcast).filter(user_id__in=user_ids).values_list("user_id", flat=True))


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
    initiators = set(
        Pledge.objects.filter(
            promise_id=broadcast.promise_id, user_id__in=concerned, is_initiator=True
        ).values_list("user_id", flat=True)
    )
    counts = {"sent": 0, "skipped": len(skipped), "retry": 0, "failed": 0}
    renderer = renderer or emails.BroadcastEmails(broadcast)
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
                user=delivery.user, is_initiator=delivery.user_id in initiators, connection=smtp
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


# --- Single emails sent outside the request (account emails) ---------------------------------


def email_send_later(*, message: EmailMultiAlternatives) -> None:
    """Send a rendered email from a worker once the transaction commits. If the broker cannot
    take it, send it now rather than lose it (a confirmation link must arrive). With
    EMAILS_VIA_WORKER off (the tests' setting), it is sent at once, from the request."""
    if not settings.EMAILS_VIA_WORKER:
        message.send()
        return
    payload = emails.to_payload(message)

    def enqueue() -> None:
        from .tasks import send_email

        try:
            send_email.apply_async(args=[payload], retry=False)
        except Exception:  # noqa: BLE001 (any broker failure: fall back to sending now)
            logger.warning("Broker unreachable; sending %r now", message.subject)
            message.send()

    transaction.on_commit(enqueue)


# --- Preferences ------------------------------------------------------------------------------


def topic_set(*, user, topic: str, enabled: bool) -> None:
    EmailPreference.objects.update_or_create(
        user=user, topic=topic, defaults={"enabled": enabled, "updated_at": timezone.now()}
    )


@transaction.atomic
def topics_set(*, user, wanted: set[str]) -> None:
    for topic in Topic.values:
        topic_set(user=user, topic=topic, enabled=topic in wanted)


def topics_wanted(*, user) -> set[str]:
    """The topics this user receives: their choice, or the topic's default."""
    choices = dict(user.email_preferences.values_list("topic", "enabled"))
    return {t for t in Topic.values if choices.get(t, Topic.default(t))}
