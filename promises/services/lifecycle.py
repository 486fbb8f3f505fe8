"""A promise's life: created, edited, cancelled, reached, failed, hidden, relaunched. Every
transition is a conditional UPDATE on the state, inside the transaction that causes it."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from notifications.services import broadcast_create
from onpromet.errors import Refusal
from organisations.access import OrganisationAccess
from organisations.models import Organisation

from .. import emails
from ..models import Commune, Pledge, Promise, Theme
from .base import lock


def reach_if_met(promise: Promise) -> bool:
    """OPEN → REACHED if the counter has met the objective. `promise` is the row read under the
    promise lock (its state and counter are exact): most pledges leave it below the objective,
    and that costs no query."""
    if not (promise.is_open and promise.pledge_count >= promise.objective):
        return False
    # Conditional UPDATE all the same: only one transaction can move OPEN → REACHED, and it
    # writes the broadcast in the same transaction.
    now = timezone.now()
    reached = Promise.objects.filter(
        pk=promise.pk, state=Promise.State.OPEN, pledge_count__gte=F("objective")
    ).update(state=Promise.State.REACHED, reached_at=now)
    if reached:
        promise.state, promise.reached_at = Promise.State.REACHED, now
        broadcast_create(promise=promise, kind=emails.REACHED)
    return bool(reached)


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
    action_end_date: datetime.date | None = None,
    action_weekday: int | None = None,
    action_schedule: str = "",
    commune: Commune | None = None,
    meeting_point: str = "",
    duration: str = Promise.Duration.HALF_DAY,
    format: str = Promise.Format.ON_SITE,  # noqa: A002 (the field's name)
    organisation: Organisation | None = None,
    visibility: str = Promise.Visibility.PUBLIC,
) -> Promise:
    if organisation is not None and not OrganisationAccess.of(organisation, created_by).can_launch:
        raise Refusal(
            "Seuls les animateurs et les admins d'une organisation lancent une promesse en son nom."
        )
    if organisation is None:
        visibility = Promise.Visibility.PUBLIC
    if visibility not in Promise.Visibility.values:
        raise Refusal("Choisissez qui voit la promesse : tout le monde, ou les membres.")
    promise = Promise.objects.create(
        created_by=created_by,
        action=action,
        objective=objective,
        deadline=deadline,
        action_date=action_date,
        action_end_date=action_end_date,
        action_weekday=action_weekday,
        action_schedule=action_schedule,
        description=description,
        city=city,
        commune=commune,
        meeting_point=meeting_point,
        duration=duration,
        format=format,
        organisation=organisation,
        visibility=visibility,
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
def promise_update(*, promise: Promise, data: dict, by: User | None = None) -> Promise:
    """Save the edit form's data. The fields that define the commitment (action, objective,
    deadline) change only while nobody else has pledged; checked again under the lock. So
    does who sees a promise in an organisation's name (public, members only), and only by
    one of its animateurs or admins (`by`); its organisation never changes."""
    locked = lock(promise)
    visibility = data.get("visibility")
    if visibility is not None and visibility != locked.visibility:
        if locked.organisation_id is None or by is None:
            raise Refusal("Seule une promesse lancée pour une organisation peut lui être réservée.")
        if not OrganisationAccess.of(locked.organisation, by).can_launch:
            raise Refusal(
                "Seuls les animateurs et les admins de l'organisation choisissent qui voit "
                "la promesse."
            )
        if locked.terms_locked():
            raise Refusal(
                "D'autres personnes ont déjà promis : qui voit la promesse ne peut plus changer."
            )
        locked.visibility = visibility
        locked.save(update_fields=["visibility"])
    fields = [
        "description",
        "action_date",
        "action_end_date",
        "action_weekday",
        "action_schedule",
        "city",
        "commune",
        "meeting_point",
        "duration",
        "format",
    ]
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
    locked = lock(promise)
    # Conditional UPDATE: a promise that has just been reached can no longer be cancelled.
    cancelled = Promise.objects.filter(pk=locked.pk, state=Promise.State.OPEN).update(
        state=Promise.State.CANCELLED, cancelled_at=timezone.now()
    )
    if not cancelled:
        raise Refusal("Cette promesse ne peut plus être annulée : elle n'est plus en cours.")
    locked.refresh_from_db()
    broadcast_create(promise=locked, kind=emails.CANCELLED)
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
        broadcast_create(promise=Promise(pk=promise_id), kind=emails.FAILED)
    return failed


def promises_reach_overdue() -> int:
    """Safety net of the sweep: an open promise whose count already meets its objective is
    reached now (e.g. after a moderator lowered an objective by hand)."""
    reached = 0
    overdue = Promise.objects.filter(state=Promise.State.OPEN, pledge_count__gte=F("objective"))
    for promise in overdue.only("pk"):
        with transaction.atomic():
            reached += reach_if_met(lock(promise))
    return reached


@transaction.atomic
def promise_set_hidden(*, promise: Promise, hidden: bool) -> None:
    Promise.objects.filter(pk=promise.pk).update(
        is_hidden=hidden, hidden_at=timezone.now() if hidden else None
    )


@transaction.atomic
def promise_relaunch(*, promise: Promise, created_by: User, data: dict) -> Promise:
    """Relancer: a new promise from a failed one (the create form's data). Its former
    participants get one email inviting them to promise again; nobody is pledged for them."""
    locked = lock(promise)
    if locked.state != Promise.State.FAILED:
        raise Refusal("Seule une promesse qui n'a pas atteint son objectif peut être relancée.")
    kept_among_members = data.get("organisation") == locked.organisation and (
        data.get("visibility") == Promise.Visibility.MEMBERS
    )
    if locked.members_only and not kept_among_members:
        # Its words were for the members: a relaunch does not publish them to everyone.
        raise Refusal(
            f"Cette promesse était réservée aux membres de {locked.organisation.name} : "
            "sa relance l'est aussi, par un animateur ou un admin de l'organisation."
        )
    relaunch = promise_create(created_by=created_by, **data)
    relaunch.relaunched_from = locked
    relaunch.save(update_fields=["relaunched_from"])
    broadcast_create(promise=relaunch, kind=emails.RELAUNCH)
    return relaunch
