import pytest

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge


def test_it_lowers_the_count_when_a_participant_withdraws(pledged, participant):
    pledge = services.pledge_withdraw(promise=pledged, user=participant)
    pledged.refresh_from_db()
    assert pledged.pledge_count == 0
    assert pledge.status == Pledge.Status.WITHDRAWN
    assert pledge.withdrawn_at is not None


def test_it_withdraws_a_pending_pledge_without_touching_the_count(promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)
    services.pledge_withdraw(promise=promise, user=newcomer)
    promise.refresh_from_db()
    assert promise.pledge_count == 0


def test_it_refuses_to_withdraw_once_the_objective_is_reached(pledged, participant):
    for _ in range(pledged.objective - 1):
        services.pledge_create(promise=pledged, user=UserFactory())
    with pytest.raises(services.PledgeError, match="abandonner"):
        services.pledge_withdraw(promise=pledged, user=participant)
    assert pledged.pledges.get(user=participant).status == Pledge.Status.ACTIVE


def test_it_refuses_to_withdraw_the_initiator(promise, initiator):
    with pytest.raises(services.PledgeError):
        services.pledge_withdraw(promise=promise, user=initiator)


def test_it_refuses_to_withdraw_someone_who_never_pledged(promise, outsider):
    with pytest.raises(services.PledgeError):
        services.pledge_withdraw(promise=promise, user=outsider)
