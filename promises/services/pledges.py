"""Je promets, Retirer ma promesse, Abandonner, J'ai tenu ma promesse; and the pledge of a
visitor who signs up on the way, counted once their address is confirmed."""

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import broadcast_create
from onpromet.errors import Refusal
from organisations.models import Membership

from .. import emails
from ..models import Pledge, Promise
from ..sharing import Arrival, arrival_take
from .base import count_in, lock
from .lifecycle import reach_if_met

PLEDGE_INTENT_SESSION_KEY = "pledge_intent"


def _has_confirmed_email(user: User) -> bool:
    return user.emailaddress_set.filter(verified=True).exists()


def _welcome(promise: Promise, pledge: Pledge) -> None:
    """A pledge has just started to count (Pledge.start_counting, under the lock): it may
    reach the objective (everyone counted is told to act), or join a promise already reached
    (this person is told at once). The flag chooses the email: nobody gets both."""
    count_in(promise, +1)
    if pledge.joined_late:
        broadcast_create(promise=promise, kind=emails.JOINED_LATE, recipient=pledge.user)
    else:
        reach_if_met(promise)


def _may_join(promise: Promise, user: User) -> bool:
    """A promise for an organisation's members only takes its members' pledges alone. Read
    under the promise lock: a member who leaves (promises.leaving, which takes the same lock)
    and pledges at once either pledges first and is withdrawn, or is refused."""
    if not promise.members_only:
        return True
    return Membership.objects.filter(organisation_id=promise.organisation_id, user=user).exists()


def members_only_refusal(promise: Promise) -> str:
    return f"Cette promesse est réservée aux membres de {promise.organisation.name}."


def _source(promise: Promise, user: User, arrival: Arrival | None) -> dict:
    """Where a new pledge came from (promises.sharing has the rules): a share link credits its
    owner's pledge on this promise, never the visitor's own."""
    if arrival is None or arrival.source == Pledge.Source.DIRECT:
        return {}
    if arrival.source != Pledge.Source.LINK:
        return {"source": arrival.source}
    sharer = (
        Pledge.objects.filter(pk=arrival.sharer_id, promise=promise)
        .exclude(user=user)
        .values_list("pk", flat=True)
        .first()
    )
    return {} if sharer is None else {"source": arrival.source, "referred_by_id": sharer}


@transaction.atomic
def pledge_create(*, promise: Promise, user: User, arrival: Arrival | None = None) -> Pledge:
    """Je promets. Counted at once when the user's email address is confirmed, else pending
    until it is. Pledging again after a withdrawal or an abandonment re-activates the pledge.
    `arrival`, how the visitor came to the promise, is recorded on a new pledge only: someone
    who had pledged before is not brought by anyone this time."""
    # Read before the lock: the pledges of a promise wait on each other under it, so it holds
    # only what must be serialised. (Confirming an address takes no promise lock, so reading
    # this under the lock would not order it with a confirmation either.)
    confirmed = _has_confirmed_email(user)
    locked = lock(promise)
    if not locked.accepts_pledges:
        raise Refusal("Cette promesse n'accepte plus de participants.")
    if not _may_join(locked, user):
        raise Refusal(members_only_refusal(locked))
    now = timezone.now()
    # Under the promise's lock nobody else pledges on it: the pledge is read, then written
    # once (a new one is one INSERT, not an INSERT and an UPDATE).
    pledge = Pledge.objects.filter(promise=locked, user=user).first()
    if pledge is None:
        pledge = Pledge(promise=locked, user=user, created_at=now, **_source(locked, user, arrival))
    elif pledge.status in (Pledge.Status.ACTIVE, Pledge.Status.PENDING):
        return pledge  # Already counted (or waiting for confirmation): nothing to do.
    else:
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
    locked = lock(pledge.promise)
    claimed = Pledge.objects.filter(pk=pledge_id, status=Pledge.Status.PENDING)
    if not locked.accepts_pledges or not _may_join(locked, pledge.user):
        # The promise closed while the address waited for confirmation, or it is for members
        # only and they are not one (any more): nothing to count.
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
    locked = lock(promise)
    pledge = Pledge.objects.filter(promise=locked, user=user, is_initiator=False).first()
    if pledge is None or pledge.status not in (Pledge.Status.ACTIVE, Pledge.Status.PENDING):
        raise Refusal("Vous n'avez pas de promesse à retirer ici.")
    if not locked.is_open:
        raise Refusal(
            "L'objectif est atteint : votre promesse ne peut plus être retirée, "
            "mais vous pouvez abandonner."
        )
    was_counted = pledge.is_active
    pledge.status, pledge.withdrawn_at = Pledge.Status.WITHDRAWN, timezone.now()
    pledge.save(update_fields=["status", "withdrawn_at"])
    if was_counted:
        count_in(locked, -1)
    return pledge


@transaction.atomic
def pledge_abandon(*, promise: Promise, user: User, reason: str = "") -> Pledge:
    """Abandonner: once the objective is reached. The objective stays reached."""
    locked = lock(promise)
    pledge = Pledge.objects.filter(promise=locked, user=user).participants().first()
    if pledge is None:
        raise Refusal("Vous ne participez pas à cette promesse.")
    if not locked.is_reached:
        raise Refusal("Avant que l'objectif soit atteint, retirez simplement votre promesse.")
    pledge.status, pledge.abandoned_at = Pledge.Status.ABANDONED, timezone.now()
    pledge.abandon_reason = reason.strip()
    pledge.save(update_fields=["status", "abandoned_at", "abandon_reason"])
    count_in(locked, -1)
    return pledge


ALREADY_KEPT = "Vous avez déjà dit avoir tenu votre promesse. Merci encore !"


class AlreadyKeptError(Refusal):
    """Said "J'ai tenu ma promesse" a second time: no harm done, the view thanks again."""


@transaction.atomic
def pledge_keep(*, promise: Promise, user: User) -> Pledge:
    """J'ai tenu ma promesse: once, from the action's first day (or from the objective reached
    when there is no date). With a comment or a photo, discussions.services.pledge_keep_and_post
    calls this and writes the post in the same transaction."""
    locked = lock(promise)
    pledge = Pledge.objects.filter(promise=locked, user=user, status=Pledge.Status.ACTIVE).first()
    if pledge is None:
        raise Refusal("Vous ne participez pas à cette promesse.")
    if not locked.action_started:
        raise Refusal("L'action n'a pas encore commencé : revenez le jour venu !")
    now = timezone.now()
    # Conditional UPDATE: a double click records one kept promise, and one post.
    if not Pledge.objects.filter(pk=pledge.pk, kept_at__isnull=True).update(kept_at=now):
        raise AlreadyKeptError(ALREADY_KEPT)
    pledge.kept_at = now
    pledge.promise = locked
    return pledge


def pledge_intent_store(*, session: SessionBase, promise: Promise) -> None:
    """An anonymous visitor clicked "Je promets": remember it in their session until they sign
    up or log in."""
    session[PLEDGE_INTENT_SESSION_KEY] = promise.pk


def pledge_intent_fulfil(*, session: SessionBase, user: User) -> Pledge | None:
    promise_id = session.pop(PLEDGE_INTENT_SESSION_KEY, None)
    if promise_id is None:
        return None
    promise = Promise.objects.filter(pk=promise_id).first()
    if promise is None:
        return None
    try:
        return pledge_create(promise=promise, user=user, arrival=arrival_take(session, promise))
    except Refusal:
        return None
