"""Whether to send is decided at send time, not when the broadcast was created."""

import pytest

from notifications import services as outbox
from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import REACHED, TOPIC_ACTION, TOPIC_OUTCOME
from promises.tests.factories import reach


def _expanded(promise):
    broadcast = Broadcast.objects.get(kind=REACHED, promise=promise)
    outbox.broadcast_expand(broadcast=broadcast)
    return broadcast


# What may change between the expansion and the send, for the first person reached.
SINCE = {
    "abandoned": lambda promise, person: services.pledge_abandon(promise=promise, user=person),
    "unsubscribed": lambda promise, person: outbox.topic_set(
        user=person, topic=TOPIC_ACTION, cadence="never"
    ),
    "deactivated": lambda promise, person: (
        type(person).objects.filter(pk=person.pk).update(is_active=False)
    ),
}


@pytest.mark.parametrize("since", SINCE)
def test_it_skips_someone_no_longer_concerned(smtp, promise, since):
    people = reach(promise)
    broadcast = _expanded(promise)
    SINCE[since](promise, people[0])
    send_broadcast(broadcast.pk)
    assert people[0].email not in smtp.recipients
    assert (
        Delivery.objects.get(broadcast=broadcast, user=people[0]).status == Delivery.Status.SKIPPED
    )
    assert people[1].email in smtp.recipients


def test_it_skips_an_account_deleted_since(smtp, promise):
    people = reach(promise)
    broadcast = _expanded(promise)
    email = people[2].email
    people[2].delete()
    send_broadcast(broadcast.pk)
    assert email not in smtp.recipients
    assert Delivery.objects.get(broadcast=broadcast, user=None).status == Delivery.Status.SKIPPED
    assert len(smtp.messages) == promise.objective  # everyone else, initiator included


def test_it_sends_to_someone_subscribed_to_the_topic_only_off_for_another(smtp, promise):
    people = reach(promise)
    outbox.topic_set(user=people[0], topic=TOPIC_OUTCOME, cadence="never")
    send_broadcast(_expanded(promise).pk)
    assert people[0].email in smtp.recipients
