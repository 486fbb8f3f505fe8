"""The promises' services, one module per sub-domain; this package's namespace is their public
interface (`from promises import services; services.pledge_create(...)`). Every function that
changes several rows or has side effects lives in one of them, runs in one transaction and
takes keyword-only arguments. A refusal is an onpromet.errors.Refusal whose message the views
show as it is.

Concurrency: every service that changes pledges first locks the promise row
(SELECT … FOR UPDATE, base.lock). Pledges of one promise are therefore serialised, the counter
kept on the promise always equals COUNT(*) of the counted pledges, and the transition to
REACHED happens in exactly one transaction.
"""

from .initiators import initiator_leave, invitation_accept, invitation_create, invitation_refusal
from .lifecycle import (
    promise_cancel,
    promise_create,
    promise_relaunch,
    promise_set_hidden,
    promise_update,
    promises_fail_expired,
    promises_reach_overdue,
)
from .news import update_create, update_emailed_today
from .pledges import (
    ALREADY_KEPT,
    PLEDGE_INTENT_SESSION_KEY,
    AlreadyKeptError,
    pledge_abandon,
    pledge_create,
    pledge_intent_fulfil,
    pledge_intent_store,
    pledge_keep,
    pledge_withdraw,
    pledges_activate,
)
from .recap import recap_publish, recap_publish_refusal, recap_save, recap_write_refusal
from .reminders import action_reminders_send, recap_reminders_send

__all__ = [
    "PLEDGE_INTENT_SESSION_KEY",
    "ALREADY_KEPT",
    "AlreadyKeptError",
    "action_reminders_send",
    "initiator_leave",
    "invitation_accept",
    "invitation_create",
    "invitation_refusal",
    "pledge_abandon",
    "pledge_create",
    "pledge_intent_fulfil",
    "pledge_intent_store",
    "pledge_keep",
    "pledge_withdraw",
    "pledges_activate",
    "promise_cancel",
    "promise_create",
    "promise_relaunch",
    "promise_set_hidden",
    "promise_update",
    "promises_fail_expired",
    "promises_reach_overdue",
    "recap_publish",
    "recap_publish_refusal",
    "recap_reminders_send",
    "recap_save",
    "recap_write_refusal",
    "update_create",
    "update_emailed_today",
]
