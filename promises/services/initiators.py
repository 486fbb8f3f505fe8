"""Co-initiators: invited by email, the link as credential; an initiator may leave the lead.

Co-initiators and the counter. Promise.pledge_count counts the active pledges of people other
than the initiators. A participant who accepts to co-lead stops being counted: their pledge
becomes an initiator pledge and the counter goes down by one, under the promise lock, with
F(). Before the objective is reached this moves the promise away from it (X counts the
others). Once reached, the count may fall below the objective and the promise stays REACHED:
the state never goes back (as with an abandonment), and the new initiator still takes part.
An initiator who leaves stops taking part (their pledge is withdrawn and is no longer an
initiator pledge): nothing to count; they may promise again, as a participant.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from onpromet.errors import Refusal
from onpromet.mail import email_send_later

from .. import emails
from ..models import Invitation, Pledge, Promise
from .base import count_in, lock


@transaction.atomic
def invitation_create(*, promise: Promise, invited_by: User, email: str) -> Invitation:
    """Invite someone by email to co-lead the promise; the email leaves once committed."""
    locked = lock(promise)
    if not locked.is_live:
        raise Refusal("Cette promesse est close : on ne peut plus y inviter d'initiateurs.")
    email = email.strip().lower()
    initiators = Pledge.objects.filter(promise=locked).initiators()
    if initiators.filter(user__email__iexact=email).exists():
        raise Refusal("Cette personne est déjà initiatrice de la promesse.")
    if locked.invitations.filter(email__iexact=email, accepted_at__isnull=True).exists():
        raise Refusal("Une invitation attend déjà une réponse à cette adresse.")
    invitation = Invitation.objects.create(promise=locked, email=email, invited_by=invited_by)
    email_send_later(message=emails.invitation_message(invitation=invitation))
    return invitation


def invitation_refusal(*, invitation: Invitation, promise: Promise, user: User) -> str:
    """Why `user` cannot accept this invitation, or "": the page says it before the click, and
    invitation_accept says it again under the lock."""
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.pk:
            return "Vous avez déjà accepté cette invitation."
        return "Cette invitation a déjà été acceptée."
    if not promise.is_live or promise.is_hidden:
        return "Cette promesse est close : l'invitation n'est plus valable."
    if Pledge.objects.filter(promise=promise, user=user).initiators().exists():
        return "Vous êtes déjà initiateur ou initiatrice de cette promesse."
    return ""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Pledge:
    """Become an initiator: a new initiator pledge, or the user's pledge converted (see the
    note on the counter above). The link is the credential: whoever holds it and is logged in
    may accept it, once."""
    locked = lock(invitation.promise)
    # Read again under the lock: two clicks (or two accounts) race for one invitation.
    invitation = Invitation.objects.get(pk=invitation.pk)
    refusal = invitation_refusal(invitation=invitation, promise=locked, user=user)
    if refusal:
        raise Refusal(refusal)
    now = timezone.now()
    pledge = Pledge.objects.filter(promise=locked, user=user).first()
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
        count_in(locked, -1)
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    pledge.promise = locked
    return pledge


@transaction.atomic
def initiator_leave(*, promise: Promise, user: User) -> Pledge:
    """Leave the lead, unless nobody else leads (checked under the lock: two initiators who
    leave at once cannot leave the promise with none)."""
    locked = lock(promise)
    initiators = Pledge.objects.filter(promise=locked).initiators()
    pledge = initiators.filter(user=user).first()
    if pledge is None:
        raise Refusal("Vous n'êtes pas initiateur ou initiatrice de cette promesse.")
    if not initiators.exclude(pk=pledge.pk).exists():
        raise Refusal(
            "Vous êtes le dernier initiateur : invitez quelqu'un d'autre avant de partir."
        )
    pledge.is_initiator, pledge.status = False, Pledge.Status.WITHDRAWN
    pledge.withdrawn_at = timezone.now()
    pledge.save(update_fields=["is_initiator", "status", "withdrawn_at"])
    return pledge
