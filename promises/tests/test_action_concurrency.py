"""The action's rules hold when requests arrive at the same moment, on real Postgres, each in
its own connection: one emailed update a day, one acceptance per invitation, one kept
promise per person, never no initiator left."""

import pytest

from accounts.tests.factories import UserFactory
from notifications.models import Broadcast
from onpromet.errors import Refusal
from promises import services
from promises.emails import UPDATE
from promises.models import Invitation, Pledge, Update
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import race

THREADS = 10


@pytest.mark.django_db(transaction=True)
def test_it_emails_one_of_ten_simultaneous_updates():
    initiator = UserFactory()
    promise = PromiseFactory(created_by=initiator)

    errors = race(
        lambda n: services.update_create(promise=promise, author=initiator, text=f"N° {n}"),
        [(n,) for n in range(THREADS)],
    )

    assert errors == []
    assert Update.objects.count() == THREADS
    assert Update.objects.filter(emailed=True).count() == 1
    assert Broadcast.objects.filter(kind=UPDATE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_accepts_an_invitation_once_and_keeps_the_counter_right():
    initiator = UserFactory()
    promise = PromiseFactory(created_by=initiator, objective=THREADS)
    people = reach(promise, extra=0)
    invitation = services.invitation_create(
        promise=promise, invited_by=initiator, email="elsa@example.org"
    )

    errors = race(
        lambda user: services.invitation_accept(invitation=invitation, user=user),
        [(user,) for user in people],
    )

    assert len(errors) == THREADS - 1
    assert all(isinstance(e, Refusal) for e in errors)
    promise.refresh_from_db()
    assert promise.pledge_count == THREADS - 1 == promise.pledges.participants().count()
    assert Invitation.objects.get().accepted_by in people


@pytest.mark.django_db(transaction=True)
def test_it_never_leaves_a_promise_without_initiator():
    first = UserFactory()
    promise = PromiseFactory(created_by=first)
    second = UserFactory()
    services.invitation_accept(
        invitation=services.invitation_create(promise=promise, invited_by=first, email="b@x.fr"),
        user=second,
    )

    errors = race(
        lambda user: services.initiator_leave(promise=promise, user=user), [(first,), (second,)]
    )

    assert len(errors) == 1
    assert Pledge.objects.filter(promise=promise, is_initiator=True, status="active").count() == 1
