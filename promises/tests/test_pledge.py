import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from promises import services
from promises.models import Pledge, Promise
from promises.tests.helpers import page_text, promise_url


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
    with pytest.raises(Refusal):
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
    with pytest.raises(Refusal):
        services.pledge_create(promise=promise, user=participant)


# --- Through the pages ---


def test_it_counts_a_confirmed_user_in_one_post(client, promise, participant):
    client.force_login(participant)
    response = client.post(promise_url("pledge", promise), follow=True)
    assert response.redirect_chain[-1][0] == promise.get_absolute_url()
    text = page_text(response)
    assert "1 / 3" in text
    assert "Votre promesse est comptée" in text
    promise.refresh_from_db()
    assert promise.pledge_count == 1


def test_it_refuses_get_on_the_pledge_url(client, promise, participant):
    client.force_login(participant)
    assert client.get(promise_url("pledge", promise)).status_code == 405
    assert not promise.pledges.filter(user=participant).exists()


def test_it_refuses_a_pledge_without_csrf_token(promise, participant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    assert client.post(promise_url("pledge", promise)).status_code == 403
    assert not promise.pledges.filter(user=participant).exists()


def test_it_sends_an_anonymous_visitor_to_sign_up_and_remembers_the_promise(client, promise):
    response = client.post(promise_url("pledge", promise))
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('account_signup')}?next=%2Fpromesses%2F{promise.slug}%2F"
    )
    assert client.session[services.PLEDGE_INTENT_SESSION_KEY] == promise.pk


def test_it_keeps_an_unconfirmed_users_pledge_pending(client, promise):
    newcomer = UserFactory(verified=False)
    client.force_login(newcomer)
    text = page_text(client.post(promise_url("pledge", promise), follow=True))
    assert "dès que vous aurez confirmé votre adresse e-mail" in text
    assert "0 / 3" in text
    assert promise.pledges.get(user=newcomer).status == Pledge.Status.PENDING


def test_it_explains_why_a_closed_promise_refuses_a_pledge(client, promise, participant):
    Promise.objects.filter(pk=promise.pk).update(state=Promise.State.CANCELLED)
    client.force_login(participant)
    text = page_text(client.post(promise_url("pledge", promise), follow=True))
    assert "n'accepte plus de participants" in text
    assert not promise.pledges.filter(user=participant).exists()
