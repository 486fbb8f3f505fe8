import pytest

from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from promises import services
from promises.models import Pledge, Promise
from promises.tests.helpers import page_text, promise_url


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
    assert reached.pledge_count == reached.pledges.participants().count() == reached.objective - 1


def test_it_refuses_to_abandon_before_the_objective_is_reached(pledged, participant):
    with pytest.raises(Refusal):
        services.pledge_abandon(promise=pledged, user=participant)


def test_it_refuses_to_abandon_twice(reached, participant):
    services.pledge_abandon(promise=reached, user=participant)
    with pytest.raises(Refusal):
        services.pledge_abandon(promise=reached, user=participant)


# --- Through the pages ---


def test_it_offers_abandon_after_the_objective_and_records_the_reason(client, pledged, participant):
    for _ in range(2):
        services.pledge_create(promise=pledged, user=UserFactory())
    client.force_login(participant)
    page = page_text(client.get(pledged.get_absolute_url()))
    assert "Abandonner" in page and "Retirer ma promesse" not in page
    text = page_text(
        client.post(promise_url("abandon", pledged), {"reason": "Je déménage."}, follow=True)
    )
    assert "Votre abandon est enregistré" in text
    pledge = pledged.pledges.get(user=participant)
    assert pledge.status == Pledge.Status.ABANDONED
    assert pledge.abandon_reason == "Je déménage."
    pledged.refresh_from_db()
    assert pledged.state == Promise.State.REACHED


def test_it_forbids_abandon_before_the_objective_is_reached(client, pledged, participant):
    client.force_login(participant)
    assert client.post(promise_url("abandon", pledged)).status_code == 403
    assert pledged.pledges.get(user=participant).status == Pledge.Status.ACTIVE
