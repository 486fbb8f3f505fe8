"""Whether to send is decided at send time, not when the broadcast was created."""

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


def test_it_skips_someone_who_abandoned_since(smtp, promise):
    people = reach(promise)
    broadcast = _expanded(promise)
    services.pledge_abandon(promise=promise, user=people[0])
    send_broadcast(broadcast.pk)
    assert people[0].email not in smtp.recipients
    assert (
        Delivery.objects.get(broadcast=broadcast, user=people[0]).status == Delivery.Status.SKIPPED
    )


def test_it_skips_someone_who_unsubscribed_since(smtp, promise):
    people = reach(promise)
    broadcast = _expanded(promise)
    outbox.topic_set(user=people[1], topic=TOPIC_ACTION, enabled=False)
    send_broadcast(broadcast.pk)
    assert people[1].email not in smtp.recipients
    assert (
        Delivery.objects.get(broadcast=broadcast, user=people[1]).status == Delivery.Status.SKIPPED
    )


def test_it_skips_a_deactivated_account(smtp, promise):
    people = reach(promise)
    broadcast = _expanded(promise)
    type(people[0]).objects.filter(pk=people[0].pk).update(is_active=False)
    send_broadcast(broadcast.pk)
    assert people[0].email not in smtp.recipients


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
    outbox.topic_set(user=people[0], topic=TOPIC_OUTCOME, enabled=False)
    send_broadcast(_expanded(promise).pk)
    assert people[0].email in smtp.recipients
