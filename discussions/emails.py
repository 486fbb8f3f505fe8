"""The discussions' emails: their topics and kinds, registered in the outbox from
DiscussionsConfig.ready() (notifications.kinds), with their template triples
templates/email/<name>.*. Kind names and topic keys are stored and carried by unsubscribe
links: never rename them."""

from django.db.models import QuerySet

from notifications.kinds import ANY_CADENCE, Cadence, Kind, Topic
from promises.emails import promise_context
from promises.models import Pledge

# Between the promises' OUTCOME (20) and UPDATES (50) on the preferences page.
TOPIC_REPLIES = "replies"
TOPIC_INITIATOR_POSTS = "initiator_posts"
TOPIC_ACTIVITY = "activity"

REPLY = "reply"
INITIATOR_POST = "initiator_post"
PARTICIPANT_POST = "participant_post"


def _everyone(broadcast) -> QuerySet:
    """Initiators and participants taking part now (a reply goes to one of them: the
    broadcast's recipient)."""
    pledges = _pledges(broadcast).filter(status=Pledge.Status.ACTIVE)
    return pledges.values("user_id")


def _pledges(broadcast) -> QuerySet:
    """On a promise for an organisation's members only, only its members hear of it."""
    return Pledge.objects.filter(promise_id=broadcast.promise_id).reachable()


def _participants(broadcast) -> QuerySet:
    return _pledges(broadcast).participants().values("user_id")


def _thread_not_post(broadcast, user_ids: set[int]) -> dict[int, str]:
    """To someone who replied earlier, not to the post's author: "a répondu à son tour"."""
    if broadcast.recipient_id == broadcast.comment.post.author_id:
        return {}
    return dict.fromkeys(user_ids, "reply_thread")


def _other_initiators(broadcast) -> QuerySet:
    """The initiators of the promise, but the post's author; none once the post is hidden."""
    post = broadcast.post
    if post.is_hidden:
        return Pledge.objects.none().values("user_id")
    pledges = _pledges(broadcast).initiators()
    return pledges.exclude(user_id=post.author_id).values("user_id")


def _reply_context(broadcast) -> dict:
    return {**promise_context(broadcast), "comment": broadcast.comment}


def _post_context(broadcast) -> dict:
    return {**promise_context(broadcast), "post": broadcast.post}


TOPICS = [
    Topic(
        TOPIC_REPLIES,
        "Réponses à mes messages dans les discussions",
        order=30,
        cadences=ANY_CADENCE,
    ),
    # Off unless asked for: a participant is not flooded with every initiator post.
    Topic(
        TOPIC_INITIATOR_POSTS,
        "Messages des initiateurs dans les discussions",
        order=40,
        default=Cadence.NEVER,
        cadences=ANY_CADENCE,
    ),
    # For initiators: what participants write in their promises' discussions, gathered once a
    # day unless they choose otherwise.
    Topic(
        TOPIC_ACTIVITY,
        "Activité des discussions de mes promesses (pour les initiateurs)",
        order=45,
        default=Cadence.DAILY,
        cadences=ANY_CADENCE,
    ),
]

KINDS = [
    # One broadcast per recipient (the post's author, those who replied before).
    Kind(
        REPLY,
        "Réponse à un message",
        TOPIC_REPLIES,
        recipients=_everyone,
        context=_reply_context,
        variants=_thread_not_post,
    ),
    Kind(
        INITIATOR_POST,
        "Message d'un initiateur",
        TOPIC_INITIATOR_POSTS,
        recipients=_participants,
        context=_post_context,
    ),
    Kind(
        PARTICIPANT_POST,
        "Message d'un participant",
        TOPIC_ACTIVITY,
        recipients=_other_initiators,
        context=_post_context,
    ),
]
