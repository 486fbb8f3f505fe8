"""Moderators see the outbox of the promises' emails: each broadcast with its counts."""

from django.urls import reverse

from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from promises.emails import REACHED
from promises.tests.factories import reach
from promises.tests.helpers import page_text


def test_it_shows_moderators_each_broadcast_with_its_counts(client, moderator, smtp, promise):
    people = reach(promise)
    smtp.replies[people[0].email] = "550 5.1.1 No such user"
    smtp.replies[people[1].email] = "451 4.3.0 Try later"
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)
    client.force_login(moderator)
    text = page_text(client.get(reverse("admin:notifications_broadcast_changelist")))
    # 4 recipients: initiator + 3; one failed, one waiting for a retry, two sent.
    assert "Objectif atteint" in text
    counts = Delivery.objects.values_list("status", flat=True)
    assert sorted(counts) == ["failed", "pending", "sent", "sent"]
    failed = page_text(
        client.get(reverse("admin:notifications_delivery_changelist"), {"status__exact": "failed"})
    )
    assert people[0].email in failed


def test_it_keeps_the_broadcast_list_query_count_flat(
    client, moderator, initiator, django_assert_max_num_queries
):
    from promises.tests.factories import PromiseFactory

    for _ in range(3):
        reach(PromiseFactory(created_by=initiator, objective=2))
    client.force_login(moderator)
    # Session, user, the moderator's permissions (two), counts and the page's rows.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("admin:notifications_broadcast_changelist")).status_code == 200
