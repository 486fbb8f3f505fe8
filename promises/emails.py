"""The promises' emails: their topics and kinds, registered in the outbox from
PromisesConfig.ready() (notifications.kinds), and the invitation to co-lead, a single email.
Each kind: who receives it (a query of user ids, run to expand the broadcast and again at send
time), what its templates are given (computed once per broadcast), and its template triple
templates/email/<name>.*.

Kind names and topic keys are stored and carried by unsubscribe links: never rename them.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from notifications import emails
from notifications.kinds import ANY_CADENCE, Kind, Topic
from onpromet.site_url import absolute
from organisations.models import Membership

from .figures import promise_figures
from .models import Commitment, Pledge, Promise, Recap

# Topics, in the order of the preferences page (the discussions' come between OUTCOME and
# UPDATES: see discussions.emails).
TOPIC_ACTION = "action"
TOPIC_OUTCOME = "outcome"
TOPIC_UPDATES = "updates"
TOPIC_REMINDERS = "reminders"
TOPIC_RECAPS = "recaps"
TOPIC_RELAUNCHES = "relaunches"
TOPIC_INITIATOR_REMINDERS = "initiator_reminders"
TOPIC_COMMITMENTS = "commitments"

REACHED = "reached"
JOINED_LATE = "joined_late"
FAILED = "failed"
CANCELLED = "cancelled"
UPDATE = "update"
ACTION_REMINDER = "action_reminder"
RECAP = "recap"
RECAP_REMINDER = "recap_reminder"
RELAUNCH = "relaunch"
COMMITMENT_PROPOSED = "commitment_proposed"


# --- Recipients: pledges of the broadcast's promise, as user ids ------------------------------


def _pledges(broadcast) -> QuerySet:
    """On a promise for an organisation's members only, only its members hear of it."""
    return Pledge.objects.filter(promise_id=broadcast.promise_id).reachable()


def _everyone(broadcast) -> QuerySet:
    """Initiators and participants taking part now."""
    return _pledges(broadcast).filter(status=Pledge.Status.ACTIVE).values("user_id")


def _at_reach(broadcast) -> QuerySet:
    # Those counted when the objective was reached, not everyone active when the worker gets
    # to it: whoever pledged in between is welcomed personally (JOINED_LATE) instead. A flag
    # decided under the promise lock (Pledge.joined_late), so this query gives the same answer
    # at expansion and at send time.
    return _pledges(broadcast).filter(status=Pledge.Status.ACTIVE).at_reach().values("user_id")


def _on_the_way(broadcast) -> QuerySet:
    return _pledges(broadcast).filter(status=Pledge.Status.ACTIVE).on_the_way().values("user_id")


def _participants(broadcast) -> QuerySet:
    return _pledges(broadcast).participants().values("user_id")


def _took_part(broadcast) -> QuerySet:
    """The bilan's audience: abandoners included, initiators (who wrote it) not."""
    return _pledges(broadcast).took_part().values("user_id")


def _initiators_of_unpublished_recap(broadcast) -> QuerySet:
    # Only while the bilan is still to publish: one published meanwhile (even between the
    # sweep's query and the broadcast) makes the reminder go to nobody.
    return (
        _pledges(broadcast)
        .filter(promise__state=Promise.State.REACHED)
        .initiators()
        .values("user_id")
    )


def _former_participants(broadcast) -> QuerySet:
    """Those who took part in the failed promise this one relaunches, if not back already;
    and, if the new one is for an organisation's members only, only its members."""
    member = Membership.objects.filter(
        organisation=OuterRef("organisation_id"), user=OuterRef(OuterRef("user_id"))
    )
    may_see = Promise.objects.filter(pk=broadcast.promise_id).filter(
        Q(visibility=Promise.Visibility.PUBLIC) | Exists(member)
    )
    return (
        Pledge.objects.filter(promise__relaunches=broadcast.promise_id)
        .participants()
        .filter(Exists(may_see))
        .exclude(user__pledges__promise_id=broadcast.promise_id)
        .values("user_id")
    )


def _initiators_of_proposals(broadcast) -> QuerySet:
    """An organisation proposed a commitment (promises.commitments): the initiators, while one
    still waits for their answer on the open promise (none left by send time: nobody)."""
    waiting = Commitment.objects.filter(
        promise_id=OuterRef("promise_id"), state=Commitment.State.PROPOSED
    )
    return (
        _pledges(broadcast)
        .filter(Exists(waiting), promise__state=Promise.State.OPEN)
        .initiators()
        .values("user_id")
    )


def _initiators_told_apart(broadcast, user_ids: set[int]) -> dict[int, str]:
    """ "Non atteint": the initiators get the figures and the relaunch link."""
    initiators = _pledges(broadcast).filter(user_id__in=user_ids).initiators()
    return dict.fromkeys(initiators.values_list("user_id", flat=True), "failed_initiator")


# --- Contexts ---------------------------------------------------------------------------------


def promise_context(broadcast) -> dict:
    """The promise and its page (the layout's button leads there): every email has them."""
    promise = broadcast.promise
    return {"promise": promise, "promise_url": absolute(promise.get_absolute_url())}


def _agenda_url(promise: Promise) -> str:
    return absolute(reverse("promises:agenda", args=[promise.slug]))


def _reached_context(broadcast) -> dict:
    """Who "vous" is in "Objectif atteint": everyone counted when the objective was reached,
    initiators included (the very audience of the email, Pledge.joined_late False), whether
    still active or abandoned since; and apart, the initiators, whom the objective does not
    count (X counts the others), so that the email can say both numbers truly. Abandoners
    still count, as in the bilan's "au moment de l'objectif": they were there when it was
    reached."""
    counts = (
        broadcast.promise.pledges.at_reach()
        .filter(status__in=[Pledge.Status.ACTIVE, Pledge.Status.ABANDONED])
        .aggregate(together=Count("pk"), initiators=Count("pk", filter=Q(is_initiator=True)))
    )
    return {
        **promise_context(broadcast),
        "agenda_url": _agenda_url(broadcast.promise),
        # The sponsors' commitments, accepted before the objective was reached (none can be
        # accepted or withdrawn since); the template says what each comes to for the others
        # counted then (reached_others), as the bilan does.
        "commitments": list(
            Commitment.objects.filter(promise=broadcast.promise)
            .shown()
            .select_related("organisation")
        ),
        "reached_together": counts["together"],
        "reached_initiators": counts["initiators"],
        "reached_others": counts["together"] - counts["initiators"],
    }


def _commitment_proposed_context(broadcast) -> dict:
    """The commitments waiting for the initiators' answer, as they are at send time."""
    return {
        **promise_context(broadcast),
        "commitments": list(
            Commitment.objects.filter(
                promise=broadcast.promise, state=Commitment.State.PROPOSED
            ).select_related("organisation", "proposed_by")
        ),
    }


def _with_agenda(broadcast) -> dict:
    return {**promise_context(broadcast), "agenda_url": _agenda_url(broadcast.promise)}


def _failed_context(broadcast) -> dict:
    promise = broadcast.promise
    relaunch_url = absolute(reverse("promises:relaunch", args=[promise.slug]))
    return {**promise_context(broadcast), "relaunch_url": relaunch_url}


def _update_context(broadcast) -> dict:
    return {**promise_context(broadcast), "update": broadcast.update}


def _recap_context(broadcast) -> dict:
    """The bilan and its figures, for the recap emails."""
    promise = broadcast.promise
    recap_url = absolute(reverse("promises:recap", args=[promise.slug]))
    recap_edit_url = absolute(reverse("promises:recap_edit", args=[promise.slug]))
    return {
        "promise": promise,
        "recap": Recap.objects.filter(promise=promise).first(),
        "figures": promise_figures(promise),
        "recap_url": recap_url,
        "recap_edit_url": recap_edit_url,
        # The email's button (email/base.html) leads to the bilan, or to its form.
        "promise_url": recap_url if broadcast.kind == RECAP else recap_edit_url,
    }


# --- The registry's entries (PromisesConfig.ready) --------------------------------------------

TOPICS = [
    Topic(TOPIC_ACTION, "Objectif atteint : l'appel à passer à l'action", order=10),
    Topic(TOPIC_OUTCOME, "Promesses non atteintes ou annulées", order=20),
    Topic(
        TOPIC_UPDATES,
        "Nouvelles des initiateurs (une par jour au plus)",
        order=50,
        cadences=ANY_CADENCE,
    ),
    Topic(TOPIC_REMINDERS, "Rappel la veille de l'action", order=60),
    Topic(TOPIC_RECAPS, "Bilans des promesses", order=70),
    Topic(TOPIC_RELAUNCHES, "Relances d'une promesse non atteinte", order=80),
    Topic(TOPIC_INITIATOR_REMINDERS, "Rappels aux initiateurs (bilan à publier)", order=90),
    Topic(
        TOPIC_COMMITMENTS,
        "Aux initiateurs : une organisation propose de soutenir votre promesse",
        order=95,
    ),
]

KINDS = [
    Kind(
        REACHED,
        "Objectif atteint",
        TOPIC_ACTION,
        recipients=_at_reach,
        context=_reached_context,
        once_per_promise=True,
    ),
    # To one person (Broadcast.recipient): who joined once the objective was reached.
    Kind(
        JOINED_LATE,
        "Bienvenue en cours de route",
        TOPIC_ACTION,
        recipients=_on_the_way,
        context=_with_agenda,
    ),
    Kind(
        FAILED,
        "Objectif non atteint",
        TOPIC_OUTCOME,
        recipients=_everyone,
        context=_failed_context,
        once_per_promise=True,
        variants=_initiators_told_apart,
    ),
    Kind(
        CANCELLED,
        "Promesse annulée",
        TOPIC_OUTCOME,
        recipients=_participants,  # the initiators cancelled it themselves
        context=promise_context,
        once_per_promise=True,
    ),
    # At most one a day per promise (promises.services.news).
    Kind(
        UPDATE,
        "Nouvelle des initiateurs",
        TOPIC_UPDATES,
        recipients=_participants,
        context=_update_context,
    ),
    Kind(
        ACTION_REMINDER,
        "Rappel : l'action, c'est demain",
        TOPIC_REMINDERS,
        recipients=_everyone,
        context=_with_agenda,
        once_per_promise=True,
    ),
    Kind(
        RECAP,
        "Bilan publié",
        TOPIC_RECAPS,
        recipients=_took_part,
        context=_recap_context,
        once_per_promise=True,
    ),
    Kind(
        RECAP_REMINDER,
        "Rappel aux initiateurs : publier le bilan",
        TOPIC_INITIATOR_REMINDERS,
        recipients=_initiators_of_unpublished_recap,
        context=_recap_context,
        once_per_promise=True,
    ),
    # Written on the new promise; its context reaches the failed one (promise.relaunched_from).
    Kind(
        RELAUNCH,
        "Relance d'une promesse non atteinte",
        TOPIC_RELAUNCHES,
        recipients=_former_participants,
        context=promise_context,
        once_per_promise=True,
    ),
    # Each proposal of a sponsor's commitment (promises.commitments), to the initiators.
    Kind(
        COMMITMENT_PROPOSED,
        "Engagement d'une organisation à accepter",
        TOPIC_COMMITMENTS,
        recipients=_initiators_of_proposals,
        context=_commitment_proposed_context,
    ),
]


# --- Single emails ----------------------------------------------------------------------------


def invitation_message(*, invitation):
    """To an email address, not an account: an initiator invites someone to co-lead."""
    promise = invitation.promise
    return emails.build(
        "invitation",
        {
            "invitation": invitation,
            "promise": promise,
            "inviter": invitation.invited_by,
            "invitation_url": absolute(
                reverse("promises:invitation", args=[promise.slug, invitation.token])
            ),
        },
        to=invitation.email,
    )
