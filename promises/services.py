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
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from discussions.images import ProcessedPhoto
from notifications import emails
from notifications.models import Broadcast
from notifications.services import broadcast_create, email_send_later

from .models import Invitation, Pledge, Promise, Recap, Theme, Update

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
    """A pledge has just started to count (Pledge.start_counting, under the lock): it may
    reach the objective (everyone counted is told to act), or join a promise already reached
    (this person is told at once). The flag chooses the email: nobody gets both."""
    _count_in(promise, +1)
    if pledge.joined_late:
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
    action_end_date: datetime.date | None = None,
    action_weekday: int | None = None,
    action_schedule: str = "",
) -> Promise:
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
    fields = [
        "description",
        "action_date",
        "action_end_date",
        "action_weekday",
        "action_schedule",
        "city",
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
    if confirmed:
        pledge.start_counting(promise=locked, now=now)
    else:
        pledge.status, pledge.activated_at = Pledge.Status.PENDING, None
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
    # Decided under the lock, like a pledge made with a confirmed address: a pledge made
    # before the objective but confirmed after it joins on the way.
    pledge.start_counting(promise=locked, now=timezone.now())
    activated = claimed.update(
        status=pledge.status, activated_at=pledge.activated_at, joined_late=pledge.joined_late
    )
    if activated != 1:
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


# --- The action: co-initiators, news, kept promises, reminders, relaunch ----------------------
#
# Co-initiators and the counter. Promise.pledge_count counts the active pledges of people other
# than the initiators. A participant who accepts to co-lead stops being counted: their pledge
# becomes an initiator pledge and the counter goes down by one, under the promise lock, with
# F(). Before the objective is reached this moves the promise away from it (X counts the
# others). Once reached, the count may fall below the objective and the promise stays REACHED:
# the state never goes back (as with an abandonment), and the new initiator still takes part.
# An initiator who leaves stops taking part (their pledge is withdrawn and is no longer an
# initiator pledge): nothing to count; they may promise again, as a participant.

# Co-initiators may be invited, and news posted, while the promise lives.
LIVE_STATES = (Promise.State.OPEN, Promise.State.REACHED)
# The action reminder goes out from 9:00 (Europe/Paris) the day before the action's first day:
# a morning email, read in time to get ready; the sweep (every minute) sends it at 9:00 sharp,
# or at its first run after that if beat was down, until midnight.
REMINDER_HOUR = 9


class AlreadyKeptError(PledgeError):
    """Said "J'ai tenu ma promesse" a second time."""


def _paris_day_start(moment: datetime.datetime) -> datetime.datetime:
    """Midnight in Europe/Paris of the day of `moment` (the site's time zone)."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def invitation_create(*, promise: Promise, invited_by: User, email: str) -> Invitation:
    """Invite someone by email to co-lead the promise; the email leaves once committed."""
    locked = _lock(promise)
    if locked.state not in LIVE_STATES:
        raise PledgeError("Cette promesse est close : on ne peut plus y inviter d'initiateurs.")
    email = email.strip().lower()
    initiators = Pledge.objects.filter(
        promise=locked, is_initiator=True, status=Pledge.Status.ACTIVE
    )
    if initiators.filter(user__email__iexact=email).exists():
        raise PledgeError("Cette personne est déjà initiatrice de la promesse.")
    if locked.invitations.filter(email__iexact=email, accepted_at__isnull=True).exists():
        raise PledgeError("Une invitation attend déjà une réponse à cette adresse.")
    invitation = Invitation.objects.create(promise=locked, email=email, invited_by=invited_by)
    email_send_later(message=emails.invitation_message(invitation=invitation))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Pledge:
    """Become an initiator: a new initiator pledge, or the user's pledge converted (see the
    note on the counter above). The link is the credential: whoever holds it and is logged in
    may accept it, once."""
    locked = _lock(invitation.promise)
    # Read again under the lock: two clicks (or two accounts) race for one invitation.
    invitation = Invitation.objects.get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise PledgeError("Cette invitation a déjà été acceptée.")
    if locked.state not in LIVE_STATES or locked.is_hidden:
        raise PledgeError("Cette promesse est close : l'invitation n'est plus valable.")
    now = timezone.now()
    pledge = Pledge.objects.filter(promise=locked, user=user).first()
    if pledge is not None and pledge.is_initiator and pledge.is_active:
        raise PledgeError("Vous êtes déjà initiateur ou initiatrice de cette promesse.")
    if pledge is None:
        pledge = Pledge(promise=locked, user=user, created_at=now)
    was_counted = pledge.is_active and not pledge.is_initiator
    if not was_counted:
        # A newcomer to the promise: like any pledge, on the way if the objective is reached
        # (then no "Objectif atteint": the invitation was their news). A participant counted
        # at the objective keeps being one of those.
        pledge.start_counting(promise=locked, now=now)
    pledge.is_initiator, pledge.status = True, Pledge.Status.ACTIVE
    pledge.withdrawn_at = pledge.abandoned_at = None
    pledge.abandon_reason = ""
    pledge.save()
    if was_counted:
        _count_in(locked, -1)
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    pledge.promise = locked
    return pledge


@transaction.atomic
def initiator_leave(*, promise: Promise, user: User) -> Pledge:
    """Leave the lead, unless nobody else leads (checked under the lock: two initiators who
    leave at once cannot leave the promise with none)."""
    locked = _lock(promise)
    initiators = Pledge.objects.filter(
        promise=locked, is_initiator=True, status=Pledge.Status.ACTIVE
    )
    pledge = initiators.filter(user=user).first()
    if pledge is None:
        raise PledgeError("Vous n'êtes pas initiateur ou initiatrice de cette promesse.")
    if not initiators.exclude(pk=pledge.pk).exists():
        raise PledgeError(
            "Vous êtes le dernier initiateur : invitez quelqu'un d'autre avant de partir."
        )
    pledge.is_initiator, pledge.status = False, Pledge.Status.WITHDRAWN
    pledge.withdrawn_at = timezone.now()
    pledge.save(update_fields=["is_initiator", "status", "withdrawn_at"])
    return pledge


def update_emailed_today(*, promise: Promise) -> bool:
    """Whether an update of this promise was already emailed today (Europe/Paris)."""
    since = _paris_day_start(timezone.now())
    # Index update_promise_created: the newest updates of one promise.
    return promise.updates.filter(emailed=True, created_at__gte=since).exists()


@transaction.atomic
def update_create(
    *, promise: Promise, author: User, text: str, photo: ProcessedPhoto | None = None
) -> Update:
    """Nouvelles. At most one update per promise and day (Europe/Paris) is emailed: the check
    and the flag happen under the promise lock, so two updates posted in the same second
    cannot both be emailed."""
    locked = _lock(promise)
    emailed = not update_emailed_today(promise=locked)
    update = Update(
        promise=locked, author=author, text=text, emailed=emailed, created_at=timezone.now()
    )
    if photo is not None:
        update.photo.save(photo.image.name, photo.image, save=False)
        update.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
    update.save()
    if emailed:
        broadcast_create(promise=locked, kind=Broadcast.Kind.UPDATE, update=update)
    return update


@transaction.atomic
def pledge_keep(
    *,
    promise: Promise,
    user: User,
    comment: str = "",
    photo: ProcessedPhoto | None = None,
) -> Pledge:
    """J'ai tenu ma promesse: once, from the action's first day (or from the objective reached
    when there is no date). A comment or a photo becomes a post in the discussion."""
    # discussions.services imports this module: imported here to avoid the cycle.
    from discussions import services as discussion_services

    locked = _lock(promise)
    pledge = Pledge.objects.filter(promise=locked, user=user, status=Pledge.Status.ACTIVE).first()
    if pledge is None:
        raise PledgeError("Vous ne participez pas à cette promesse.")
    if not locked.action_started:
        raise PledgeError("L'action n'a pas encore commencé : revenez le jour venu !")
    now = timezone.now()
    # Conditional UPDATE: a double click records one kept promise, and one post.
    if not Pledge.objects.filter(pk=pledge.pk, kept_at__isnull=True).update(kept_at=now):
        raise AlreadyKeptError("Vous avez déjà dit avoir tenu votre promesse. Merci encore !")
    pledge.kept_at = now
    comment = comment.strip()
    if comment or photo is not None:
        text = "J'ai tenu ma promesse !" + (f"\n\n{comment}" if comment else "")
        discussion_services.post_create(promise=locked, author=user, text=text, photo=photo)
    return pledge


def action_reminders_send() -> int:
    """The day before the action's first day, from REMINDER_HOUR (Europe/Paris), remind the
    participants of reached promises (the action happens only if the objective is reached).
    Called by the sweep every minute: once per promise, whatever the number of runs (the
    broadcast is unique per promise and kind)."""
    now = timezone.localtime()
    if now.hour < REMINDER_HOUR:
        return 0
    tomorrow = now.date() + datetime.timedelta(days=1)
    # Few rows: reached promises (index promise_state_created) acting tomorrow.
    due = Promise.objects.filter(
        state=Promise.State.REACHED, is_hidden=False, action_date=tomorrow
    ).exclude(broadcasts__kind=Broadcast.Kind.ACTION_REMINDER)
    return sum(_action_remind(promise_id=pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _action_remind(*, promise_id: int) -> int:
    # Under the lock: two sweeps at once write one broadcast, and enqueue it once.
    locked = Promise.objects.select_for_update().get(pk=promise_id)
    if locked.broadcasts.filter(kind=Broadcast.Kind.ACTION_REMINDER).exists():
        return 0
    broadcast_create(promise=locked, kind=Broadcast.Kind.ACTION_REMINDER)
    return 1


@transaction.atomic
def promise_relaunch(*, promise: Promise, created_by: User, data: dict) -> Promise:
    """Relancer: a new promise from a failed one (the create form's data). Its former
    participants get one email inviting them to promise again; nobody is pledged for them."""
    locked = _lock(promise)
    if locked.state != Promise.State.FAILED:
        raise PledgeError("Seule une promesse qui n'a pas atteint son objectif peut être relancée.")
    relaunch = promise_create(created_by=created_by, **data)
    relaunch.relaunched_from = locked
    relaunch.save(update_fields=["relaunched_from"])
    broadcast_create(promise=relaunch, kind=Broadcast.Kind.RELAUNCH)
    return relaunch


# --- The bilan (recap) ------------------------------------------------------------------------
# Written by the initiators once the objective is reached; publishing it finishes the promise
# and emails it to every participant, abandoners included. The figures beside the text are
# computed, never stored (promises.figures).

RECAP_REMINDER_DELAY = datetime.timedelta(days=14)


class RecapError(Exception):
    """A recap action that the promise's state does not allow; the message is for the user."""


def _recap_writable(promise: Promise) -> None:
    if promise.state not in (Promise.State.REACHED, Promise.State.FINISHED):
        raise RecapError(
            "Le bilan s'écrit une fois l'objectif atteint : cette promesse "
            f"est {promise.get_state_display()}."
        )


@transaction.atomic
def recap_save(*, promise: Promise, author: User, text: str) -> Recap:
    """Write or correct the bilan's text. Once published, a correction is shown on the page
    but not emailed again."""
    locked = _lock(promise)
    _recap_writable(locked)
    recap, created = Recap.objects.get_or_create(
        promise=locked, defaults={"text": text, "author": author}
    )
    if not created:
        recap.text = text
        recap.save(update_fields=["text", "updated_at"])
    return recap


@transaction.atomic
def recap_publish(*, promise: Promise) -> Recap:
    """Publish the bilan: the promise becomes FINISHED (one conditional UPDATE from REACHED, so
    two initiators clicking at once publish once) and the RECAP broadcast is written in the same
    transaction. A failed or cancelled promise has no action to report on: no bilan."""
    locked = _lock(promise)
    recap = Recap.objects.filter(promise=locked).first()
    if locked.state == Promise.State.FINISHED:
        raise RecapError("Le bilan est déjà publié.")
    _recap_writable(locked)
    if recap is None or not recap.text.strip():
        raise RecapError("Écrivez d'abord le bilan, puis publiez-le.")
    now = timezone.now()
    finished = Promise.objects.filter(pk=locked.pk, state=Promise.State.REACHED).update(
        state=Promise.State.FINISHED, finished_at=now
    )
    if not finished:  # Cannot happen under the lock; kept as the rule's last word.
        raise RecapError("Le bilan est déjà publié.")
    recap.published_at = now
    recap.save(update_fields=["published_at", "updated_at"])
    locked.state, locked.finished_at = Promise.State.FINISHED, now
    broadcast_create(promise=locked, kind=Broadcast.Kind.RECAP)
    return recap


def recap_reminders_send() -> int:
    """Run by the sweep (Celery beat). The initiators of a promise still REACHED (bilan not
    published) are reminded once, RECAP_REMINDER_DELAY after the end of the action: its last
    day (action_end_date, else action_date), or the day the objective was reached for a
    promise without an action date. The day is in Europe/Paris: the reminder goes from the
    morning (midnight) of the fourteenth day after the end."""
    cutoff = timezone.localdate() - RECAP_REMINDER_DELAY
    ended = Coalesce("action_end_date", "action_date", TruncDate("reached_at"))
    # Few rows: the reached promises (index promise_state_created) not yet reminded.
    due = (
        Promise.objects.filter(state=Promise.State.REACHED, recap_reminded_at__isnull=True)
        .alias(ended=ended)
        .filter(ended__lte=cutoff)
    )
    return sum(_recap_remind(promise_id=pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _recap_remind(*, promise_id: int) -> int:
    # The claim: only the sweep whose conditional UPDATE sets recap_reminded_at writes the
    # broadcast (itself unique per promise: a second one could not be written anyway).
    claimed = Promise.objects.filter(
        pk=promise_id, state=Promise.State.REACHED, recap_reminded_at__isnull=True
    ).update(recap_reminded_at=timezone.now())
    if not claimed:
        return 0
    broadcast_create(promise=Promise(pk=promise_id), kind=Broadcast.Kind.RECAP_REMINDER)
    return 1
