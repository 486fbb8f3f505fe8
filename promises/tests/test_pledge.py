import pytest

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge, Promise


def test_it_counts_a_confirmed_pledge(promise, participant):
    pledge = services.pledge_create(promise=promise, user=participant)
    promise.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE
    assert promise.pledge_count == 1


def test_it_keeps_an_unconfirmed_pledge_pending_until_the_email_is_confirmed(promise):
    newcomer = UserFactory(verified=False)
    pledge = services.pledge_create(promise=promise, user=newcomer)
    promise.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert promise.pledge_count == 0

    newcomer.emailaddress_set.update(verified=True)
    assert services.pledges_activate(user=newcomer) == 1
    promise.refresh_from_db()
    assert promise.pledge_count == 1


def test_it_does_not_count_the_initiator(promise):
    assert promise.pledge_count == 0
    assert promise.pledges.get().is_initiator


def test_it_does_not_count_a_second_click(promise, participant):
    services.pledge_create(promise=promise, user=participant)
    services.pledge_create(promise=promise, user=participant)
    promise.refresh_from_db()
    assert promise.pledge_count == 1
    assert promise.pledges.filter(user=participant).count() == 1


def test_it_reaches_the_objective_with_the_xth_pledge(promise):
    for _ in range(promise.objective - 1):
        services.pledge_create(promise=promise, user=UserFactory())
    promise.refresh_from_db()
    assert promise.state == Promise.State.OPEN
    services.pledge_create(promise=promise, user=UserFactory())
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    assert promise.reached_at is not None


@pytest.mark.parametrize("state", [Promise.State.FAILED, Promise.State.CANCELLED])
def test_it_refuses_a_pledge_on_a_closed_promise(promise, participant, state):
    Promise.objects.filter(pk=promise.pk).update(state=state)
    with pytest.raises(services.PledgeError):
        services.pledge_create(promise=promise, user=participant)
    assert not promise.pledges.filter(user=participant).exists()


def test_it_lets_a_participant_pledge_again_after_withdrawing(pledged, participant):
    services.pledge_withdraw(promise=pledged, user=participant)
    services.pledge_create(promise=pledged, user=participant)
    pledged.refresh_from_db()
    assert pledged.pledge_count == 1
    assert pledged.pledges.get(user=participant).status == Pledge.Status.ACTIVE


def test_it_lets_people_join_on_the_way_after_the_objective_is_reached(promise):
    for _ in range(promise.objective):
        services.pledge_create(promise=promise, user=UserFactory())
    late = services.pledge_create(promise=promise, user=UserFactory())
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    assert promise.pledge_count == promise.objective + 1
    assert late.joined_late


def test_it_refuses_a_pledge_after_the_deadline_even_before_the_sweep(promise, participant):
    Promise.objects.filter(pk=promise.pk).update(deadline=promise.created_at)
    with pytest.raises(services.PledgeError):
        services.pledge_create(promise=promise, user=participant)
