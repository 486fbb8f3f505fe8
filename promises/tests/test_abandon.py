import pytest

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge, Promise


@pytest.fixture
def reached(pledged):
    for _ in range(pledged.objective - 1):
        services.pledge_create(promise=pledged, user=UserFactory())
    pledged.refresh_from_db()
    assert pledged.state == Promise.State.REACHED
    return pledged


def test_it_records_the_abandonment_with_its_date_and_reason(reached, participant):
    pledge = services.pledge_abandon(promise=reached, user=participant, reason="  Malade.  ")
    assert pledge.status == Pledge.Status.ABANDONED
    assert pledge.abandoned_at is not None
    assert pledge.abandon_reason == "Malade."


def test_it_keeps_the_objective_reached_after_an_abandonment(reached, participant):
    services.pledge_abandon(promise=reached, user=participant)
    reached.refresh_from_db()
    assert reached.state == Promise.State.REACHED
    assert reached.pledge_count == reached.pledges.counted().count() == reached.objective - 1


def test_it_refuses_to_abandon_before_the_objective_is_reached(pledged, participant):
    with pytest.raises(services.PledgeError):
        services.pledge_abandon(promise=pledged, user=participant)


def test_it_refuses_to_abandon_twice(reached, participant):
    services.pledge_abandon(promise=reached, user=participant)
    with pytest.raises(services.PledgeError):
        services.pledge_abandon(promise=reached, user=participant)
