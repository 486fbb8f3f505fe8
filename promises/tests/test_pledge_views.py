from django.urls import reverse

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge, Promise
from promises.tests.helpers import page_text


def url(name, promise):
    return reverse(f"promises:{name}", args=[promise.slug])


def test_it_counts_a_confirmed_user_in_one_post(client, promise, participant):
    client.force_login(participant)
    response = client.post(url("pledge", promise), follow=True)
    assert response.redirect_chain[-1][0] == promise.get_absolute_url()
    text = page_text(response)
    assert "1 / 3" in text
    assert "Votre promesse est comptée" in text
    promise.refresh_from_db()
    assert promise.pledge_count == 1


def test_it_refuses_get_on_the_pledge_url(client, promise, participant):
    client.force_login(participant)
    assert client.get(url("pledge", promise)).status_code == 405
    assert not promise.pledges.filter(user=participant).exists()


def test_it_refuses_a_pledge_without_csrf_token(promise, participant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    assert client.post(url("pledge", promise)).status_code == 403
    assert not promise.pledges.filter(user=participant).exists()


def test_it_sends_an_anonymous_visitor_to_sign_up_and_remembers_the_promise(client, promise):
    response = client.post(url("pledge", promise))
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('account_signup')}?next=%2Fpromesses%2F{promise.slug}%2F"
    )
    assert client.session[services.PLEDGE_INTENT_SESSION_KEY] == promise.pk


def test_it_keeps_an_unconfirmed_users_pledge_pending(client, promise):
    newcomer = UserFactory(verified=False)
    client.force_login(newcomer)
    text = page_text(client.post(url("pledge", promise), follow=True))
    assert "dès que vous aurez confirmé votre adresse e-mail" in text
    assert "0 / 3" in text
    assert promise.pledges.get(user=newcomer).status == Pledge.Status.PENDING


def test_it_explains_why_a_closed_promise_refuses_a_pledge(client, promise, participant):
    Promise.objects.filter(pk=promise.pk).update(state=Promise.State.CANCELLED)
    client.force_login(participant)
    text = page_text(client.post(url("pledge", promise), follow=True))
    assert "n'accepte plus de participants" in text
    assert not promise.pledges.filter(user=participant).exists()


def test_it_asks_before_withdrawing_then_lowers_the_count(client, pledged, participant):
    client.force_login(participant)
    confirm = page_text(client.get(url("withdraw", pledged)))
    assert "Retirer ma promesse ?" in confirm
    pledged.refresh_from_db()
    assert pledged.pledge_count == 1  # GET only asks.
    text = page_text(client.post(url("withdraw", pledged), follow=True))
    assert "0 / 3" in text
    assert "Votre promesse est retirée" in text


def test_it_forbids_withdrawal_to_someone_who_has_not_pledged(client, pledged, outsider):
    client.force_login(outsider)
    assert client.post(url("withdraw", pledged)).status_code == 403
    pledged.refresh_from_db()
    assert pledged.pledge_count == 1


def test_it_forbids_withdrawal_to_the_initiator(client, pledged, initiator):
    client.force_login(initiator)
    assert client.post(url("withdraw", pledged)).status_code == 403


def test_it_sends_anonymous_visitors_to_login_for_withdrawal(client, pledged):
    response = client.post(url("withdraw", pledged))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_offers_abandon_after_the_objective_and_records_the_reason(client, pledged, participant):
    for _ in range(2):
        services.pledge_create(promise=pledged, user=UserFactory())
    client.force_login(participant)
    page = page_text(client.get(pledged.get_absolute_url()))
    assert "Abandonner" in page and "Retirer ma promesse" not in page
    text = page_text(client.post(url("abandon", pledged), {"reason": "Je déménage."}, follow=True))
    assert "Votre abandon est enregistré" in text
    pledge = pledged.pledges.get(user=participant)
    assert pledge.status == Pledge.Status.ABANDONED
    assert pledge.abandon_reason == "Je déménage."
    pledged.refresh_from_db()
    assert pledged.state == Promise.State.REACHED


def test_it_forbids_abandon_before_the_objective_is_reached(client, pledged, participant):
    client.force_login(participant)
    assert client.post(url("abandon", pledged)).status_code == 403
    assert pledged.pledges.get(user=participant).status == Pledge.Status.ACTIVE
