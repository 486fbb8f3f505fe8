"""Everyone gets one of the two: "Objectif atteint" for those counted when the objective was
reached, "Bienvenue" for those who joined after, whenever the worker expands the broadcast."""

from collections import Counter

from accounts.tests.factories import UserFactory
from notifications import services as outbox
from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from promises import emails, services
from promises.models import Promise
from promises.tests.factories import reach

REACHED = "Objectif atteint\u00a0: passez à l'action\u00a0!"
WELCOME = "Bienvenue\u00a0! L'objectif est atteint\u00a0: passez à l'action"


def _send_all(promise) -> None:
    for broadcast_id in (
        Broadcast.objects.filter(promise=promise).order_by("pk").values_list("pk", flat=True)
    ):
        send_broadcast(broadcast_id)


def _received(smtp) -> Counter:
    return Counter((str(m["To"]), str(m["Subject"]).strip()) for m in smtp.messages)


def test_it_leaves_out_of_the_reached_email_someone_who_joined_before_the_expansion(smtp, promise):
    people = reach(promise)
    late = UserFactory()
    services.pledge_create(promise=promise, user=late)  # after the transition, before the worker
    broadcast = Broadcast.objects.get(kind=emails.REACHED, promise=promise)

    outbox.broadcast_expand(broadcast=broadcast)

    assert not broadcast.deliveries.filter(user=late).exists()
    _send_all(promise)
    everyone_counted = [promise.created_by, *people]
    assert _received(smtp) == Counter(
        {(u.email, REACHED): 1 for u in everyone_counted} | {(late.email, WELCOME): 1}
    )


def test_it_skips_at_send_time_a_late_joiner_expanded_by_the_old_rule(smtp, promise):
    # A broadcast expanded before this change, with a late joiner among its deliveries.
    reach(promise)
    late = UserFactory()
    services.pledge_create(promise=promise, user=late)
    broadcast = Broadcast.objects.get(kind=emails.REACHED, promise=promise)
    outbox.broadcast_expand(broadcast=broadcast)
    Delivery.objects.create(broadcast=broadcast, user=late)

    _send_all(promise)

    assert Delivery.objects.get(broadcast=broadcast, user=late).status == Delivery.Status.SKIPPED
    assert [s for (to, s) in _received(smtp) if to == late.email] == [WELCOME]


def test_it_sends_the_welcome_alone_to_a_pledge_confirmed_after_the_objective(smtp, promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)  # before the objective, pending
    reach(promise)
    newcomer.emailaddress_set.update(verified=True)
    services.pledges_activate(user=newcomer)  # what the accounts receiver calls

    _send_all(promise)

    assert [s for (to, s) in _received(smtp) if to == newcomer.email] == [WELCOME]


def test_it_sends_the_reached_email_to_all_counted_when_the_sweep_reaches_the_objective(
    smtp, promise
):
    people = [UserFactory() for _ in range(2)]
    for user in people:
        services.pledge_create(promise=promise, user=user)
    Promise.objects.filter(pk=promise.pk).update(objective=2)  # lowered by a moderator
    services.promises_reach_overdue()
    late = UserFactory()
    services.pledge_create(promise=promise, user=late)

    _send_all(promise)

    assert _received(smtp) == Counter(
        {(u.email, REACHED): 1 for u in [promise.created_by, *people]} | {(late.email, WELCOME): 1}
    )


def test_it_sends_the_welcome_alone_to_someone_who_abandoned_and_pledged_again(smtp, promise):
    people = reach(promise)
    services.pledge_abandon(promise=promise, user=people[0])
    services.pledge_create(promise=promise, user=people[0])

    _send_all(promise)

    assert [s for (to, s) in _received(smtp) if to == people[0].email] == [WELCOME]
