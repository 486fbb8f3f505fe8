import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from promises import services
from promises.models import Pledge
from promises.tests.helpers import page_text, promise_url


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
    with pytest.raises(Refusal, match="abandonner"):
        services.pledge_withdraw(promise=pledged, user=participant)
    assert pledged.pledges.get(user=participant).status == Pledge.Status.ACTIVE


def test_it_refuses_to_withdraw_the_initiator(promise, initiator):
    with pytest.raises(Refusal):
        services.pledge_withdraw(promise=promise, user=initiator)


def test_it_refuses_to_withdraw_someone_who_never_pledged(promise, outsider):
    with pytest.raises(Refusal):
        services.pledge_withdraw(promise=promise, user=outsider)


# --- Through the pages ---


def test_it_asks_before_withdrawing_then_lowers_the_count(client, pledged, participant):
    client.force_login(participant)
    confirm = page_text(client.get(promise_url("withdraw", pledged)))
    assert "Retirer ma promesse ?" in confirm
    pledged.refresh_from_db()
    assert pledged.pledge_count == 1  # GET only asks.
    text = page_text(client.post(promise_url("withdraw", pledged), follow=True))
    assert "0 / 3" in text
    assert "Votre promesse est retirée" in text


def test_it_forbids_withdrawal_to_someone_who_has_not_pledged(client, pledged, outsider):
    client.force_login(outsider)
    assert client.post(promise_url("withdraw", pledged)).status_code == 403
    pledged.refresh_from_db()
    assert pledged.pledge_count == 1


def test_it_forbids_withdrawal_to_the_initiator(client, pledged, initiator):
    client.force_login(initiator)
    assert client.post(promise_url("withdraw", pledged)).status_code == 403


def test_it_sends_anonymous_visitors_to_login_for_withdrawal(client, pledged):
    response = client.post(promise_url("withdraw", pledged))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
