"""The lifecycle of a promise. Every function that changes several rows or has side effects
lives here, runs in one transaction and takes keyword-only arguments.

Concurrency: every service that changes pledges first locks the promise row
(SELECT … FOR UPDATE). Pledges of one promise are therefore serialised, the counter kept on the
promise always equals COUNT(*) of the counted pledges, and the transition to REACHED happens in
exactly one transaction.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from notifications.models import Broadcast
from notifications.services import broadcast_create

from .models import Pledge, Promise, Theme

PLEDGE_INTENT_SESSION_KEY = "pledge_intent"


class PledgeError(Exception):
    """A pledge action that the promise's state does not allow; the message is for the user."""


def _lock(promise: Promise) -> Promise:
    return Promise.objects.select_for_update().get(pk=promise.pk)


def _has_confirmed_email(user: User) -> bool:
    return user.emailaddress_set.filter(verified=True).exists()


def _count_in(promise: Promise, delta: int) -> None:
    """Move the counter by delta. Caller holds the promise lock."""
    Promise.objects.filter(pk=promise.pk).update(pledge_count=F("pledge_count") + delta)
    promise.refresh_from_db(fields=["pledge_count"])


def _welcome(promise: Promise, pledge: Pledge) -> None:
    """A pledge has just started to count: it may reach the objective (everyone is told to
    act), or join a promise already reached (this person is told at once)."""
    _count_in(promise, +1)
    if promise.is_reached:
        broadcast_create(promise=promise, kind=Broadcast.Kind.JOINED_LATE, recipient=pledge.user)
    else:
        _reach_if_met(promise)


def _reach_if_met(promise: Promise) -> bool:
    # Conditional UPDATE: only one transaction can move OPEN → REACHED, and it writes the
    # broadcast in the same transaction.
    now = timezone.now()
    reached = Promise.objects.filter(
        pk=promise.pk, state=Promise.State.OPEN, pledge_count__gte=F("objective")
    ).update(state=Promise.State.REACHED, reached_at=now)
    if reached:
        promise.state, promise.reached_at = Promise.State.REACHED, now
        broadcast_create(promise=promise, kind=Broadcast.Kind.REACHED)
    return bool(reached)


# --- Promises ---------------------------------------------------------------------------------


@transaction.atomic
def promise_create(
    *,
    created_by: User,
    action: str,
    objective: int,
    deadline: datetime.datetime,
    description: str,
    city: str,
    themes: list[Theme],
    action_date: datetime.date | None = None,
) -> Promise:
    promise = Promise.objects.create(
        created_by=created_by,
        action=action,
        objective=objective,
        deadline=deadline,
        action_date=action_date,
        description=description,
        city=city,
    )
    promise.themes.set(themes)
    # The initiator is the first participant; initiators are not counted in the objective.
    Pledge.objects.create(
        promise=promise,
        user=created_by,
        is_initiator=True,
        status=Pledge.Status.ACTIVE,
        activated_at=promise.created_at,
    )
    return promise


@transaction.atomic
def promise_update(*, promise: Promise, data: dict) -> Promise:
    """Save the edit form's data. The fields that define the commitment (action, objective,
    deadline) change only while nobody else has pledged; checked again under the lock."""
    locked = _lock(promise)
    fields = ["description", "action_date", "city"]
    if not locked.terms_locked():
        fields += ["action", "objective", "deadline"]
    for name in fields:
        if name in data:
            setattr(locked, name, data[name])
    locked.save(update_fields=[*fields, "updated_at"])
    if "themes" in data:
        locked.themes.set(data["themes"])
    return locked


@transaction.atomic
def promise_cancel(*, promise: Promise) -> Promise:
    locked = _lock(promise)
    # Conditional UPDATE: a promise that has just been reached can no longer be cancelled.
    cancelled = Promise.objects.filter(pk=locked.pk, state=Promise.State.OPEN).update(
        state=Promise.State.CANCELLED, cancelled_at=timezone.now()
    )
    if not cancelled:
        raise PledgeError("Cette promesse ne peut plus être annulée : elle n'est plus en cours.")
    locked.refresh_from_db()
    broadcast_create(promise=locked, kind=Broadcast.Kind.CANCELLED)
    return locked


def promises_fail_expired() -> int:
    """Open promises whose deadline has passed below their objective become FAILED. Run by
    Celery beat; each promise in its own transaction, claimed by a conditional UPDATE."""
    failed = 0
    expired = Promise.objects.filter(state=Promise.State.OPEN, deadline__lte=timezone.now())
    for promise_id in expired.values_list("pk", flat=True):
        failed += _promise_fail(promise_id=promise_id)
    return failed


@transaction.atomic
def _promise_fail(*, promise_id: int) -> int:
    failed = Promise.objects.filter(
        pk=promise_id, state=Promise.State.OPEN, deadline__lte=timezone.now()
    ).update(state=Promise.State.FAILED, failed_at=timezone.now())
    if failed:
        broadcast_create(promise=Promise(pk=promise_id), kind=Broadcast.Kind.FAILED)
    return failed


def promises_reach_overdue() -> int:
    """Safety net of the sweep: an open promise whose count already meets its objective is
    reached now (e.g. after a moderator lowered an objective by hand)."""
    reached = 0
    overdue = Promise.objects.filter(state=Promise.State.OPEN, pledge_count__gte=F("objective"))
    for promise in overdue.only("pk"):
        with transaction.atomic():
            reached += _reach_if_met(_lock(promise))
    return reached


@transaction.atomic
def promise_set_hidden(*, promise: Promise, hidden: bool) -> None:
    Promise.objects.filter(pk=promise.pk).update(
        is_hidden=hidden, hidden_at=timezone.now() if hidden else None
    )


# --- Pledges ----------------------------------------------------------------------------------


@transaction.atomic
def pledge_create(*, promise: Promise, user: User) -> Pledge:
    """Je promets. Counted at once when the user's email address is confirmed, else pending
    until it is. Pledging again after a withdrawal or an abandonment re-activates the pledge."""
    locked = _lock(promise)
    if not locked.accepts_pledges:
        raise PledgeError("Cette promesse n'accepte plus de participants.")
    confirmed = _has_confirmed_email(user)
    now = timezone.now()
    pledge, created = Pledge.objects.get_or_create(
        promise=locked, user=user, defaults={"created_at": now}
    )
    if not created:
        if pledge.status in (Pledge.Status.ACTIVE, Pledge.Status.PENDING):
            return pledge  # Already counted (or waiting for confirmation): nothing to do.
        pledge.created_at = now
        pledge.withdrawn_at = pledge.abandoned_at = None
        pledge.abandon_reason = ""
    pledge.status = Pledge.Status.ACTIVE if confirmed else Pledge.Status.PENDING
    pledge.activated_at = now if confirmed else None
    pledge.save()
    pledge.promise = locked
    if confirmed and not pledge.is_initiator:
        _welcome(locked, pledge)
    return pledge


def pledges_activate(*, user: User) -> int:
    """The user has confirmed their email address: their pending pledges now count. Each
    promise is handled in its own transaction and lock, so one promise never waits on another."""
    activated = 0
    for pledge_id in Pledge.objects.filter(user=user, status=Pledge.Status.PENDING).values_list(
        "pk", flat=True
    ):
        activated += _pledge_activate(pledge_id=pledge_id)
    return activated


@transaction.atomic
def _pledge_activate(*, pledge_id: int) -> int:
    pledge = Pledge.objects.select_related("promise").get(pk=pledge_id)
    locked = _lock(pledge.promise)
    claimed = Pledge.objects.filter(pk=pledge_id, status=Pledge.Status.PENDING)
    if not locked.accepts_pledges:
        # The promise closed while the address waited for confirmation: nothing to count.
        claimed.update(status=Pledge.Status.WITHDRAWN, withdrawn_at=timezone.now())
        return 0
    if claimed.update(status=Pledge.Status.ACTIVE, activated_at=timezone.now()) != 1:
        return 0  # Another request activated it first.
    _welcome(locked, pledge)
    return 1


@transaction.atomic
def pledge_withdraw(*, promise: Promise, user: User) -> Pledge:
    """Retirer ma promesse: only before the objective is reached; the count goes down."""
    locked = _lock(promise)
    pledge = Pledge.objects.filter(promise=locked, user=user, is_initiator=False).first()
    if pledge is None or pledge.status not in (Pledge.Status.ACTIVE, Pledge.Status.PENDING):
        raise PledgeError("Vous n'avez pas de promesse à retirer ici.")
    if not locked.is_open:
        raise PledgeError(
            "L'objectif est atteint : votre promesse ne peut plus être retirée, "
            "mais vous pouvez abandonner."
        )
    was_counted = pledge.is_active
    pledge.status, pledge.withdrawn_at = Pledge.Status.WITHDRAWN, timezone.now()
    pledge.save(update_fields=["status", "withdrawn_at"])
    if was_counted:
        _count_in(locked, -1)
    return pledge


@transaction.atomic
def pledge_abandon(*, promise: Promise, user: User, reason: str = "") -> Pledge:
    """Abandonner: once the objective is reached. The objective stays reached."""
    locked = _lock(promise)
    pledge = Pledge.objects.filter(
        promise=locked, user=user, is_initiator=False, status=Pledge.Status.ACTIVE
    ).first()
    if pledge is None:
        raise PledgeError("Vous ne participez pas à cette promesse.")
    if not locked.is_reached:
        raise PledgeError("Avant que l'objectif soit atteint, retirez simplement votre promesse.")
    pledge.status, pledge.abandoned_at = Pledge.Status.ABANDONED, timezone.now()
    pledge.abandon_reason = reason.strip()
    pledge.save(update_fields=["status", "abandoned_at", "abandon_reason"])
    _count_in(locked, -1)
    return pledge


# --- A pledge made before having an account ---------------------------------------------------


def pledge_intent_store(*, request: HttpRequest, promise: Promise) -> None:
    """An anonymous visitor clicked "Je promets": remember it until they sign up or log in."""
    request.session[PLEDGE_INTENT_SESSION_KEY] = promise.pk


def pledge_intent_fulfil(*, request: HttpRequest, user: User) -> Pledge | None:
    promise_id = request.session.pop(PLEDGE_INTENT_SESSION_KEY, None)
    if promise_id is None:
        return None
    promise = Promise.objects.filter(pk=promise_id).first()
    if promise is None:
        return None
    try:
        return pledge_create(promise=promise, user=user)
    except PledgeError:
        return None
