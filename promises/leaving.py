"""What leaving an organisation does to the promises kept among its members (issue 15):
registered with organisations.services.on_leave_register from PromisesConfig.ready(), and run
by member_leave in the transaction that removes the membership (a departure, a removal by an
admin, an account's deletion).

On each of the organisation's promises for members only where the person still takes part:
- open: their pledge is withdrawn, as "Retirer ma promesse" withdraws it (the count goes down);
- reached: it is recorded as abandoned, as "Abandonner" records it (the state never goes back);
  a pledge never confirmed counted for nothing and is only withdrawn;
- failed, cancelled or finished: nothing counts any more, nothing changes.
Someone who leads such a promise leaves the lead if someone else leads it; the last one to
lead it takes it with them, as an account's deletion does (promises.deletion): an open promise
is cancelled (its participants are told), a reached one is closed without a bilan. Nobody from
outside the organisation is left leading a promise its members alone see.

Each promise is changed through the services, under the promise lock they take (in id order,
after member_leave's lock on the organisation): a member who pledges meanwhile waits, then is
refused (pledge_create reads the membership under the same lock), so the counter still equals
its COUNT(*). The sentences returned tell the person what happened.
"""

from django.utils import timezone

from accounts.models import User
from organisations.models import Organisation

from . import services
from .models import Pledge, Promise
from .services.base import lock


def promises_on_leave(organisation: Organisation, user: User) -> list[str]:
    promise_ids = (
        Pledge.objects.filter(
            user=user,
            promise__organisation=organisation,
            promise__visibility=Promise.Visibility.MEMBERS,
        )
        .exclude(status=Pledge.Status.WITHDRAWN)
        .order_by("promise_id")
        .values_list("promise_id", flat=True)
    )
    told = []
    for promise_id in list(promise_ids):
        sentence = _leave(promise=lock(Promise(pk=promise_id)), user=user)
        if sentence:
            told.append(sentence)
    return told


def _leave(*, promise: Promise, user: User) -> str:
    """Under the promise's lock (read again: a pledge may have changed since the list)."""
    pledge = Pledge.objects.filter(promise=promise, user=user).first()
    named = f"« {promise.sentence} »"
    if pledge is None or pledge.status == Pledge.Status.WITHDRAWN or not promise.is_live:
        return ""
    if pledge.is_initiator:
        return _leave_the_lead(promise, pledge, named)
    if promise.is_open:
        services.pledge_withdraw(promise=promise, user=user)
        return f"Votre promesse {named} est retirée."
    if pledge.is_pending:  # reached, never counted: nothing to abandon
        Pledge.objects.filter(pk=pledge.pk).update(
            status=Pledge.Status.WITHDRAWN, withdrawn_at=timezone.now()
        )
        return f"Votre promesse {named} est retirée."
    services.pledge_abandon(promise=promise, user=user)
    return f"Votre promesse {named} est enregistrée comme abandonnée : l'objectif reste atteint."


def _leave_the_lead(promise: Promise, pledge: Pledge, named: str) -> str:
    if Pledge.objects.filter(promise=promise).initiators().exclude(pk=pledge.pk).exists():
        services.initiator_leave(promise=promise, user=pledge.user)
        return f"Vous n'êtes plus initiateur ou initiatrice de {named} : les autres la mènent."
    if promise.is_open:
        services.promise_cancel(promise=promise)
        return (
            f"La promesse {named}, que vous étiez seul·e à mener, est annulée ; "
            "ses participants sont prévenus."
        )
    Promise.objects.filter(pk=promise.pk, state=Promise.State.REACHED).update(
        state=Promise.State.FINISHED, finished_at=timezone.now()
    )
    return f"La promesse {named}, que vous étiez seul·e à mener, est close, sans bilan."
