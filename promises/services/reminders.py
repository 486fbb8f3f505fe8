"""The reminders the sweep sends: to participants the day before the action, to initiators
whose bilan is still to publish.

One idempotency mechanism for both: the outbox's once-per-promise uniqueness. Each reminder is
a once-per-promise kind, so writing its broadcast is the claim: broadcast_create writes at most
one per promise, even for two sweeps at once (the unique constraint decides; the second INSERT
waits for the first to commit, then finds its row), and says whether this call wrote it. The
queries below only keep the sweep from trying promises already reminded; no lock, no flag on
the promise. Whether an email still goes is decided by the recipients rule at send time (an
initiator whose bilan was published meanwhile is no longer reminded: promises.emails)."""

import datetime

from django.db import transaction
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from notifications.services import broadcast_create

from .. import emails
from ..models import Promise

REMINDER_HOUR = 9


def action_reminders_send() -> int:
    """The day before the action's first day, from REMINDER_HOUR (Europe/Paris), remind the
    participants of reached promises (the action happens only if the objective is reached).
    Called by the sweep every minute: once per promise, whatever the number of runs."""
    now = timezone.localtime()
    if now.hour < REMINDER_HOUR:
        return 0
    tomorrow = now.date() + datetime.timedelta(days=1)
    # Few rows: reached promises (index promise_state_created) acting tomorrow.
    due = Promise.objects.filter(
        state=Promise.State.REACHED, is_hidden=False, action_date=tomorrow
    ).exclude(broadcasts__kind=emails.ACTION_REMINDER)
    return sum(
        _remind(promise_id=pk, kind=emails.ACTION_REMINDER)
        for pk in due.values_list("pk", flat=True)
    )


RECAP_REMINDER_DELAY = datetime.timedelta(days=14)


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
        Promise.objects.filter(state=Promise.State.REACHED)
        .exclude(broadcasts__kind=emails.RECAP_REMINDER)
        .alias(ended=ended)
        .filter(ended__lte=cutoff)
    )
    return sum(
        _remind(promise_id=pk, kind=emails.RECAP_REMINDER)
        for pk in due.values_list("pk", flat=True)
    )


@transaction.atomic
def _remind(*, promise_id: int, kind: str) -> int:
    """1 if this call wrote the reminder's broadcast, 0 if it already existed."""
    return int(broadcast_create(promise=Promise(pk=promise_id), kind=kind) is not None)
