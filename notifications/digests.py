"""Digests: for the topics a person takes once a day or once a week (kinds.Cadence), one email
per person and period, gathering what those topics brought, grouped by promise.

A broadcast's delivery to such a person waits (Delivery.Status.HELD) instead of being sent.
The beat then builds, for the period just ended (yesterday, or last week from Monday to
Monday, in the site's time zone), one Digest per person with something waiting: it takes their
held deliveries and what the sources (kinds.Source: the search alerts) found, in the
transaction that writes the row. The row is unique per person, cadence and period, so a beat
that runs twice, or two at once, builds it once; what a digest took is in no other. Digests
are then claimed with a lease and sent like deliveries: marked sent as soon as the SMTP
server accepts the message, so a worker killed mid-run leaves the rest to the next one, and
sends again at most the message in flight.

Whether something still goes out is decided at send time, by the same rules as the outbox's
(the person still concerned, the topic not turned off since): a digest left with nothing is
not sent.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from onpromet.french import french_date
from onpromet.site_url import absolute

from . import emails, kinds, services
from .kinds import Cadence
from .models import Delivery, Digest, EmailPreference

_DAY = datetime.timedelta(days=1)


# --- Periods ----------------------------------------------------------------------------------


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def period(cadence: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The last whole period before `now`: yesterday, or last week (Monday to Monday), from
    midnight to midnight in the site's time zone."""
    today = timezone.localdate(now)
    if cadence == Cadence.DAILY:
        return _midnight(today - _DAY), _midnight(today)
    monday = today - datetime.timedelta(days=today.weekday())
    return _midnight(monday - 7 * _DAY), _midnight(monday)


def period_label(digest: Digest) -> str:
    """ "le lundi 30 novembre", or "du lundi 23 au dimanche 29 novembre"."""
    start = timezone.localdate(digest.period_start)
    last = timezone.localdate(digest.period_end) - _DAY
    if digest.cadence == Cadence.DAILY:
        return "le " + french_date(start, year=False)
    first = french_date(start, month=start.month != last.month, year=False)
    return f"du {first} au {french_date(last, year=False)}"


# --- Building ---------------------------------------------------------------------------------


def _held_until(end: datetime.datetime) -> QuerySet:
    """Deliveries waiting for a digest, of events before `end`, with their person's cadence
    for their topic now (their choice, else the topic's default)."""
    topic = Case(
        *(When(broadcast__kind=k.name, then=Value(k.topic)) for k in kinds.KINDS.values()),
        output_field=CharField(),
    )
    default = Case(
        *(When(topic=t.key, then=Value(t.default)) for t in kinds.topics()),
        output_field=CharField(),
    )
    choice = EmailPreference.objects.filter(user_id=OuterRef("user_id"), topic=OuterRef("topic"))
    return (
        Delivery.objects.filter(
            status=Delivery.Status.HELD,
            digest__isnull=True,
            user__isnull=False,
            broadcast__created_at__lt=end,
        )
        .annotate(topic=topic)
        .annotate(cadence=Coalesce(Subquery(choice.values("cadence")[:1]), default))
    )


def _taken_by(cadence: str) -> list[str]:
    # What a topic switched back to "each time" had waiting goes out with the next daily digest.
    return [Cadence.DAILY, Cadence.IMMEDIATE] if cadence == Cadence.DAILY else [Cadence.WEEKLY]


def digests_build(*, cadence: str, now: datetime.datetime | None = None) -> int:
    """Write the digests of the period just ended for everyone with something new. Safe to run
    again and in parallel: returns the number of digests that got something."""
    now = now or timezone.now()
    start, end = period(cadence, now)
    taken = _taken_by(cadence)
    held = _held_until(end)
    with transaction.atomic():
        if cadence == Cadence.DAILY:
            # Turned off since: never sent.
            Delivery.objects.filter(pk__in=held.filter(cadence=Cadence.NEVER).values("pk")).update(
                status=Delivery.Status.SKIPPED
            )
        wanted = held.filter(cadence__in=taken)
        select, params = wanted.values("user_id").distinct().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO notifications_digest
                    (user_id, cadence, period_start, period_end, sources, status, attempts,
                     next_attempt_at, last_error, created_at)
                SELECT w.user_id, %s, %s, %s, '{{}}'::jsonb, 'pending', 0, %s, '', %s
                FROM ({select}) AS w (user_id)
                ON CONFLICT (user_id, cadence, period_start) DO NOTHING
                """,  # noqa: S608  # nosec B608 (the ORM's own SQL, with its parameters)
                [cadence, start, end, now, now, *params],
            )
        # Into this period's digest while nobody sends it; a digest already sent (or being
        # sent) leaves them waiting for the next period's.
        open_digest = Digest.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            user_id=OuterRef("user_id"),
            cadence=cadence,
            period_start=start,
            status=Digest.Status.PENDING,
        )
        taking = Delivery.objects.filter(pk__in=wanted.values("pk"))
        took = taking.update(digest=Subquery(open_digest.values("pk")[:1]))
    for source in kinds.sources():
        took += _sources_build(source, cadence=cadence, start=start, end=end, now=now)
    return took


def _sources_build(source: kinds.Source, *, cadence, start, end, now) -> int:
    people = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=source.users(end))
        .annotate(cadence=services.cadence_of(source.topic))
        .filter(cadence__in=_taken_by(cadence))
    )
    found = 0
    for user in people.iterator(chunk_size=500):
        with transaction.atomic():
            digest = (
                Digest.objects.select_for_update()
                .filter(user=user, cadence=cadence, period_start=start)
                .first()
            )
            being_sent = digest is not None and (
                digest.status != Digest.Status.PENDING
                or (digest.claimed_until is not None and digest.claimed_until >= now)
            )
            if being_sent:
                continue  # this period's is sent, or on its way: what is new waits for the next
            data = source.collect(user, end)
            if data is None:
                continue
            if digest is None:
                digest = _digest_create(user=user, cadence=cadence, start=start, end=end, now=now)
            digest.sources[source.key] = data
            digest.save(update_fields=["sources"])
            found += 1
    return found


def _digest_create(*, user, cadence, start, end, now) -> Digest:
    try:
        with transaction.atomic():
            return Digest.objects.create(
                user=user, cadence=cadence, period_start=start, period_end=end, created_at=now
            )
    except IntegrityError:  # written meanwhile by another beat: that one, locked
        return Digest.objects.select_for_update().get(
            user=user, cadence=cadence, period_start=start
        )


# --- Rendering --------------------------------------------------------------------------------


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _entry(template: str, context: dict) -> dict[str, str]:
    """One entry of a digest, in both parts: templates/email/digest/<template>.html and .txt."""
    context = {"site_url": settings.SITE_URL, **context}
    html = render_to_string(f"email/digest/{template}.html", context).strip()
    text = render_to_string(f"email/digest/{template}.txt", context).strip()
    return {"html": mark_safe(html), "text": text}  # noqa: S308  # nosec B308 B703 (escaped by its template)


class Built(NamedTuple):
    message: EmailMultiAlternatives | None  # None: nothing left to say
    carried: list[int]  # the deliveries it sends
    dropped: list[int]  # those no longer wanted: never sent


def digest_message(digest: Digest, *, connection=None) -> Built:
    """The digest's email, from what is still wanted at send time."""
    user = digest.user
    if not user.is_active:
        return Built(None, [], list(digest.deliveries.values_list("pk", flat=True)))
    cadences = services.topic_cadences(user=user)
    deliveries = (
        digest.deliveries.filter(status=Delivery.Status.HELD)
        .select_related("broadcast__promise")
        .order_by("broadcast__created_at", "pk")
    )
    groups: dict[int, dict] = {}
    carried, dropped, topics = [], [], set()
    for delivery in deliveries:
        broadcast = delivery.broadcast
        kind = kinds.kind(broadcast.kind)
        if cadences[kind.topic] == Cadence.NEVER or not (
            services.audience(broadcast).filter(pk=user.pk).exists()
        ):
            # Turned off, or no longer concerned (withdrew, abandoned, the post hidden…).
            dropped.append(delivery.pk)
            continue
        promise = broadcast.promise
        group = groups.setdefault(
            promise.pk,
            {"promise": promise, "url": absolute(promise.get_absolute_url()), "entries": []},
        )
        group["entries"].append(_entry(kind.name, {"user": user, **kind.context(broadcast)}))
        carried.append(delivery.pk)
        topics.add(kind.topic)
    sections, summaries = [], []
    if carried:
        summaries.append(
            f"{_plural(len(carried), 'nouveauté', 'nouveautés')} "
            f"sur {_plural(len(groups), 'promesse', 'promesses')}"
        )
    for key, data in sorted(digest.sources.items()):
        source = kinds.SOURCES.get(key)
        if source is None or cadences[source.topic] == Cadence.NEVER:
            continue
        context = source.context(user, data)
        if not context:
            continue
        sections.append(_entry(source.template, {"user": user, **context}))
        summaries.append(context["summary"])
        topics.add(source.topic)
    if not summaries:
        return Built(None, [], dropped)
    ordered = [t for t in kinds.topics() if t.key in topics]
    context = {
        "user": user,
        "cadence": digest.cadence,
        "period": period_label(digest),
        "summary": " et ".join(summaries),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "topics": [
            {
                "label": t.label,
                "unsubscribe_url": _unsubscribe_url(user, [t.key]),
            }
            for t in ordered
        ],
    }
    # The footer links one topic each (templates/email/digest.*), the List-Unsubscribe header
    # all of the digest's.
    parts = emails.render(
        "digest", {**context, "groups": list(groups.values()), "sections": sections}
    )
    message = emails.assemble(
        *parts,
        to=user.email,
        unsubscribe_url=_unsubscribe_url(user, [t.key for t in ordered]),
        connection=connection,
    )
    return Built(message, carried, dropped)


def _unsubscribe_url(user, topics: list[str]) -> str:
    token = emails.unsubscribe_token(user_id=user.pk, topic=",".join(topics))
    return absolute(reverse("notifications:unsubscribe", args=[token]))


# --- Sending ----------------------------------------------------------------------------------


def digests_claim(*, limit: int) -> list[int]:
    return services.claim(Digest, limit=limit)


def digests_send(*, digest_ids: list[int]) -> dict[str, int]:
    """Send claimed digests over one SMTP connection, each marked as soon as it is sent."""
    counts = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    smtp = get_connection()
    try:
        for digest in (
            Digest.objects.filter(pk__in=digest_ids, status=Digest.Status.PENDING)
            .select_related("user")
            .order_by("pk")
        ):
            counts[_send(digest, smtp)] += 1
    finally:
        smtp.close()
    return counts


def _send(digest: Digest, smtp) -> str:
    built = digest_message(digest, connection=smtp)
    if built.message is not None:
        try:
            smtp.open()
            built.message.send()
        except Exception as error:  # noqa: BLE001 (classified by services.failed)
            smtp.close()
            return services.failed(digest, error)
    now = timezone.now()
    with transaction.atomic():
        if built.message is None:
            services.mark(digest, status=Digest.Status.SKIPPED)
        else:
            services.mark(digest, status=Digest.Status.SENT, sent_at=now)
        held = Delivery.objects.filter(status=Delivery.Status.HELD)
        held.filter(pk__in=built.carried).update(status=Delivery.Status.SENT, sent_at=now)
        held.filter(pk__in=built.dropped).update(status=Delivery.Status.SKIPPED)
        # Attached while it was being written (a beat running meanwhile): the next period's
        # digest takes them.
        held.filter(digest=digest).update(digest=None)
    return "sent" if built.message is not None else "skipped"
