"""An anonymous visitor clicks "Je promets": they sign up (or log in) and the pledge is
recorded without a second click, counted once their email address is confirmed."""

import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD
from promises.models import Pledge, Promise

CONFIRM_LINK = re.compile(re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/[^/\s]+/)")
EXPLANATION = "votre promesse sera comptée dès que votre adresse e-mail sera confirmée."
NEWCOMER = "nouvelle@example.org"


def _click_je_promets(client, promise) -> str:
    response = client.post(f"/promesses/{promise.slug}/promettre/")
    assert response.status_code == 302
    return response["Location"]


def _sign_up(client, url, **extra):
    data = {
        "display_name": "Nina",
        "email": NEWCOMER,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "next": parse_qs(urlsplit(url).query)["next"][0],
        **extra,
    }
    return client.post(url, data)


def _signed_up_with_a_pledge(client, promise, mailoutbox) -> str:
    """Click, sign up; return the path of the confirmation link."""
    _sign_up(client, _click_je_promets(client, promise))
    return CONFIRM_LINK.search(mailoutbox[-1].body).group(1)


def test_it_sends_an_anonymous_visitor_to_signup_with_next(client, promise):
    url = _click_je_promets(client, promise)
    parts = urlsplit(url)
    assert parts.path == "/accounts/signup/"
    assert parse_qs(parts.query) == {"next": [f"/promesses/{promise.slug}/"]}
    assert not Pledge.objects.filter(promise=promise, is_initiator=False).exists()


def test_it_explains_once_that_the_pledge_counts_after_confirmation(client, promise):
    page = client.get(_click_je_promets(client, promise))
    assert page.status_code == 200
    assert page.content.decode().count(EXPLANATION) == 1


def test_it_explains_again_when_the_form_comes_back_with_an_error(client, promise):
    url = _click_je_promets(client, promise)
    client.get(url)  # the pledge view's message is shown, and gone
    response = _sign_up(client, url, password2="autre-chose")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count(EXPLANATION) == 1
    assert "Créez votre compte : " + EXPLANATION in content


def test_it_keeps_the_pledge_pending_until_the_address_is_confirmed(client, promise, mailoutbox):
    url = _click_je_promets(client, promise)
    response = _sign_up(client, url)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    user = User.objects.get(email=NEWCOMER)
    pledge = Pledge.objects.get(promise=promise, user=user)
    assert pledge.status == Pledge.Status.PENDING
    promise.refresh_from_db()
    assert promise.pledge_count == 0


def test_it_counts_the_pledge_when_the_link_is_confirmed(client, promise, mailoutbox):
    link = _signed_up_with_a_pledge(client, promise, mailoutbox)

    assert client.get(link).status_code == 200
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == f"/promesses/{promise.slug}/"
    pledge = Pledge.objects.get(promise=promise, user__email=NEWCOMER)
    assert pledge.status == Pledge.Status.ACTIVE
    assert pledge.activated_at is not None
    promise.refresh_from_db()
    assert promise.pledge_count == 1
    assert int(client.session["_auth_user_id"]) == pledge.user_id

    page = client.get(response["Location"]).content.decode()
    assert "Merci\u00a0! Votre promesse est comptée." in page
    assert "Nina" in page  # now in the participant list


def test_it_counts_the_pledge_when_the_link_is_opened_in_another_browser(
    client, promise, mailoutbox
):
    link = _signed_up_with_a_pledge(client, promise, mailoutbox)

    other_browser = Client()
    assert other_browser.get(link).status_code == 200
    response = other_browser.post(link)

    assert response.status_code == 302
    assert response["Location"] == f"/promesses/{promise.slug}/"
    pledge = Pledge.objects.get(promise=promise, user__email=NEWCOMER)
    assert pledge.status == Pledge.Status.ACTIVE
    promise.refresh_from_db()
    assert promise.pledge_count == 1


def test_it_does_not_count_the_pledge_twice_when_confirming_again(client, promise, mailoutbox):
    link = _signed_up_with_a_pledge(client, promise, mailoutbox)
    client.post(link)
    Client().post(link)
    promise.refresh_from_db()
    assert promise.pledge_count == 1


def test_it_reaches_the_objective_with_a_confirmed_newcomer(client, promise, mailoutbox):
    Promise.objects.filter(pk=promise.pk).update(objective=1)
    link = _signed_up_with_a_pledge(client, promise, mailoutbox)
    client.post(link)
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED


def test_it_withdraws_a_pending_pledge_whose_promise_closed_meanwhile(client, promise, mailoutbox):
    link = _signed_up_with_a_pledge(client, promise, mailoutbox)
    Promise.objects.filter(pk=promise.pk).update(state=Promise.State.CANCELLED)

    response = client.post(link)

    assert response["Location"] == f"/promesses/{promise.slug}/"
    pledge = Pledge.objects.get(promise=promise, user__email=NEWCOMER)
    assert pledge.status == Pledge.Status.WITHDRAWN
    promise.refresh_from_db()
    assert promise.pledge_count == 0
    page = client.get(response["Location"]).content.decode()
    assert "votre promesse n&#x27;a pas pu être comptée" in page


def test_it_counts_at_once_when_an_existing_user_logs_in(client, promise, participant):
    signup_url = _click_je_promets(client, promise)
    signup_page = client.get(signup_url).content.decode()
    login_url = f"/accounts/login/?next=%2Fpromesses%2F{promise.slug}%2F"
    assert login_url in signup_page

    response = client.post(
        login_url,
        {"login": participant.email, "password": PASSWORD, "next": f"/promesses/{promise.slug}/"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/promesses/{promise.slug}/"
    pledge = Pledge.objects.get(promise=promise, user=participant)
    assert pledge.status == Pledge.Status.ACTIVE
    promise.refresh_from_db()
    assert promise.pledge_count == 1
    page = client.get(response["Location"]).content.decode()
    assert "Merci\u00a0! Votre promesse est comptée." in page


def test_it_tells_on_the_login_page_that_the_pledge_is_waiting(client, promise):
    client.get(_click_je_promets(client, promise))
    content = client.get("/accounts/login/").content.decode()
    assert "votre promesse sera enregistrée dès votre connexion" in content


def test_it_forgets_the_intent_once_recorded(client, promise, participant):
    _click_je_promets(client, promise)
    client.post("/accounts/login/", {"login": participant.email, "password": PASSWORD})
    assert "pledge_intent" not in client.session
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": participant.email, "password": PASSWORD})
    promise.refresh_from_db()
    assert promise.pledge_count == 1
