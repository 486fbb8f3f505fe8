"""What deleting an account (accounts.deletion) does to the promises: registered as an eraser
from PromisesConfig.ready().

- Before the objective (an open promise), the person's pledge is withdrawn exactly as
  "Retirer ma promesse" withdraws it: the count goes down.
- After it (reached, finished), the pledge stays counted, as "Compte supprimé" (the objective
  was reached with it: figures and bilans stay true); an abandon reason is erased (the
  reasons go with the account). On a failed or cancelled promise nothing counts any more:
  the pledge stays as it was, under the same name.
- A pending pledge (address never confirmed on it) counted for nothing: it is withdrawn.
- A promise the person leads: with another active initiator, it is theirs (on an open
  promise the person leaves the lead as "Quitter" does; once reached, their initiator pledge
  stays, like a participant's). Without one: an open promise is cancelled (its participants
  get the usual email); a reached one is closed, FINISHED without a bilan, and stays readable
  (nobody is left to lead it, write its bilan or take new pledges).
- Pending co-initiator invitations sent by the person or to one of their addresses are
  removed; accepted ones are history and stay.
- News (Update) and bilans written by the person stay, signed "Compte supprimé": they are the
  promise's news to its participants, which the other initiators and the participants rely
  on, as the bilan is the promise's record.

Every promise is changed through the services, under the promise lock they take, so a
concurrent pledge waits and every counter still equals its COUNT(*).

First of all, the person leaves every organisation (organisations.services.member_leave,
forced), so that their pledges on its promises for members only follow the rules of any
departure (promises.leaving). The only admin of an organisation hands it on first: to its
oldest animateur, else to its oldest member; with nobody else, the organisation is left
without members (its promises and page stay; moderators handle it in the admin).
"""

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from organisations import services as organisation_services
from organisations.models import Membership, Organisation

from . import services
from .models import Alert, Invitation, Pledge, Promise
from .services.base import lock


def promises_erase(user: User) -> None:
    _organisations_leave(user)
    # One promise at a time, in id order: two deletions sharing promises take their locks in
    # the same order, so they cannot deadlock (they run in one transaction each).
    promise_ids = (
        Pledge.objects.filter(user=user)
        .order_by("promise_id")
        .values_list("promise_id", flat=True)
        .distinct()
    )
    for promise_id in list(promise_ids):
        _erase_on(promise=Promise(pk=promise_id), user=user)
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
    to_them = Q()
    for address in addresses:
        to_them |= Q(email__iexact=address)
    Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(invited_by=user) | to_them
    ).delete()
    Alert.objects.filter(user=user).delete()  # the saved searches


def _erase_on(*, promise: Promise, user: User) -> None:
    locked = lock(promise)
    pledge = Pledge.objects.get(promise=locked, user=user)
    if pledge.is_initiator and pledge.is_active:
        _leave_the_lead(locked, pledge)
    elif pledge.is_pending and locked.is_open:
        services.pledge_withdraw(promise=locked, user=user)
    elif pledge.is_pending:
        # Never counted, and never will be (the account's addresses go): nothing to count.
        Pledge.objects.filter(pk=pledge.pk).update(
            status=Pledge.Status.WITHDRAWN, withdrawn_at=timezone.now()
        )
    elif pledge.is_active and locked.is_open:
        services.pledge_withdraw(promise=locked, user=user)
    Pledge.objects.filter(pk=pledge.pk).exclude(abandon_reason="").update(abandon_reason="")


def _leave_the_lead(promise: Promise, pledge: Pledge) -> None:
    others = Pledge.objects.filter(promise=promise).initiators().exclude(pk=pledge.pk)
    if others.exists():
        if promise.is_open:
            services.initiator_leave(promise=promise, user=pledge.user)
        return
    if promise.is_open:
        services.promise_cancel(promise=promise)
    elif promise.is_reached:
        # Closed without a new state: FINISHED is the end of a promise whose objective was
        # met; with no bilan (nobody is left to write one), and no email.
        Promise.objects.filter(pk=promise.pk, state=Promise.State.REACHED).update(
            state=Promise.State.FINISHED, finished_at=timezone.now()
        )


def _organisations_leave(user: User) -> None:
    # In id order, like the promises: two deletions take the organisations' locks alike.
    organisation_ids = (
        Membership.objects.filter(user=user)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
    )
    for organisation_id in list(organisation_ids):
        # The lock member_leave takes, taken first: the admins counted stay as counted.
        organisation = Organisation.objects.select_for_update(no_key=True).get(pk=organisation_id)
        _hand_on(organisation, user)
        organisation_services.member_leave(organisation=organisation, user=user, forced=True)


def _hand_on(organisation: Organisation, user: User) -> None:
    """The only admin who goes names the next one: the oldest animateur, else the oldest
    member (by the date they joined)."""
    memberships = Membership.objects.filter(organisation=organisation)
    if not memberships.admins().filter(user=user).exists():
        return
    others = memberships.exclude(user=user)
    if others.admins().exists():
        return
    for role in (Membership.Role.ANIMATEUR, Membership.Role.MEMBER):
        successor = others.filter(role=role).order_by("joined_at", "pk").first()
        if successor is not None:
            organisation_services.role_set(membership=successor, role=Membership.Role.ADMIN)
            return
