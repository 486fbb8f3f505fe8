"""Every account email speaks as the site: the email layout (templates/email/base.html) with a
text part beside it, plain French, OnPromet and SITE_URL's domain, never the host the request
came with; a newcomer who pledged before signing up reads their promise in the confirmation."""

import re
from html import unescape

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from promises import services as promise_services
from promises.adapters import pending_pledge_promise
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory

SITE = settings.SITE_URL
REQUEST_HOST = "testserver:8101"
NEWCOMER = "nouvelle@example.org"
LAYOUT_HEADER = re.compile(r"<td [^>]*>OnPromet</td>")
LAYOUT_FOOTER = "Vous recevez cet e-mail"
# allauth's English, word by word: none may remain once links and addresses are left out.
ENGLISH = re.compile(
    r"\b(Hello|Thank|Please|You|your|account|email|password|reset|Confirm|confirm|Sign|link|"
    r"received?|receiving|Click|ignored?|changed|removed|Browser|address)\b"
)
LINK_OR_ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+")
TAG = re.compile(r"<[^>]+>")


def spaces(text: str) -> str:
    """French no-break spaces (before ":", inside « ») read as spaces."""
    return text.replace("\u00a0", " ")


def parts(mail) -> tuple[str, str]:
    """The text part and the one HTML part."""
    (html,) = [content for content, mimetype in mail.alternatives if mimetype == "text/html"]
    return mail.body, html


def assert_in_site_voice(mail) -> None:
    text, html = parts(mail)
    assert text.strip() and not text.lstrip().startswith("<")
    assert html.startswith("<!doctype html>")
    assert LAYOUT_HEADER.search(html), "the HTML part is not in the email layout"
    assert LAYOUT_FOOTER in html
    assert mail.subject == mail.subject.strip()
    assert "[" not in mail.subject
    for part in (text, html):
        assert "OnPromet" in part
    for part in (mail.subject, text, html):
        assert "8101" not in part and "testserver" not in part
        words = LINK_OR_ADDRESS.sub(" ", unescape(TAG.sub(" ", part)))
        assert ENGLISH.findall(words) == [], words
    assert f"OnPromet : {SITE}" in spaces(text)  # SITE_URL, not the request's host


@pytest.fixture
def browser_client() -> Client:
    """A visitor whose requests carry a host and port of their own."""
    return Client(HTTP_HOST=REQUEST_HOST)


def _sign_up(client, email=NEWCOMER, next_url=""):
    return client.post(
        f"/accounts/signup/{next_url}",
        {"display_name": "Nina", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def _pledge_then_sign_up(client, promise):
    client.post(f"/promesses/{promise.slug}/promettre/")
    _sign_up(client, next_url=f"?next=/promesses/{promise.slug}/")


# --- Confirmation ---------------------------------------------------------------------------


def test_it_names_the_promise_in_the_confirmation_of_a_newcomer_who_pledged(
    browser_client, promise, mailoutbox
):
    _pledge_then_sign_up(browser_client, promise)

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    line = f"Confirmez votre adresse : votre promesse « {promise.sentence} » sera comptée"
    assert spaces(mail.subject) == line
    text, html = parts(mail)
    assert spaces(text).startswith(f"Bonjour Nina,\n\n{line}.")
    assert line in spaces(html)  # the sentence as typed: "d'aller", not "d&#x27;aller"
    assert "Confirmer et compter ma promesse" in html


def test_it_names_the_promise_in_the_confirmation_sent_again_at_log_in(
    browser_client, promise, mailoutbox
):
    newcomer = UserFactory(verified=False)
    promise_services.pledge_create(promise=promise, user=newcomer)

    browser_client.post("/accounts/login/", {"login": newcomer.email, "password": PASSWORD})

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert promise.sentence in spaces(mail.subject)
    assert promise.sentence in spaces(mail.body)


def test_it_names_no_promise_in_an_ordinary_confirmation(browser_client, db, mailoutbox):
    _sign_up(browser_client)

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert mail.subject == "Confirmez votre adresse e-mail sur OnPromet"
    text, html = parts(mail)
    for part in (mail.subject, text, html):
        assert "promesse" not in part
        assert "Je promets" not in part
    assert "Vous venez de créer un compte sur OnPromet" in text
    assert "Confirmer mon adresse" in html


def _pledged_unconfirmed(user, **promise_fields) -> Promise:
    promise = PromiseFactory(objective=3, **promise_fields)
    assert promise_services.pledge_create(promise=promise, user=user).status == "pending"
    return promise


def test_it_names_the_latest_pending_pledge_in_one_query(db, django_assert_num_queries):
    newcomer = UserFactory(verified=False)
    _pledged_unconfirmed(newcomer)
    latest = _pledged_unconfirmed(newcomer)
    withdrawn = _pledged_unconfirmed(newcomer)
    Pledge.objects.filter(promise=withdrawn).update(status=Pledge.Status.WITHDRAWN)

    with django_assert_num_queries(1):
        assert pending_pledge_promise(newcomer) == latest


def test_it_names_no_promise_hidden_by_the_moderators(db):
    newcomer = UserFactory(verified=False)
    promise = _pledged_unconfirmed(newcomer)
    Promise.objects.filter(pk=promise.pk).update(is_hidden=True)
    assert pending_pledge_promise(newcomer) is None


def test_it_confirms_a_new_address_in_the_site_voice(browser_client, participant, mailoutbox):
    browser_client.force_login(participant)
    browser_client.post("/accounts/email/", {"email": NEWCOMER, "action_add": ""})

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert mail.subject == "Confirmez la nouvelle adresse e-mail de votre compte OnPromet"
    assert f"Vous avez demandé à utiliser {NEWCOMER} pour votre compte OnPromet" in mail.body
    assert "promesse" not in mail.body


# --- The other account emails ---------------------------------------------------------------


def test_it_tells_an_account_holder_that_their_account_exists(
    browser_client, participant, mailoutbox
):
    _sign_up(browser_client, email=participant.email)

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert mail.subject == "Vous avez déjà un compte OnPromet"
    text, html = parts(mail)
    assert f"{SITE}/accounts/login/" in text
    assert f"{SITE}/accounts/password/reset/" in html
    assert text.startswith("Bonjour,")  # the holder's name is not told to whoever signed up


def test_it_sends_the_password_reset_link_in_the_site_voice(
    browser_client, participant, mailoutbox
):
    browser_client.post("/accounts/password/reset/", {"email": participant.email})

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert mail.subject == "Choisissez un nouveau mot de passe pour OnPromet"
    text, html = parts(mail)
    assert text.startswith("Bonjour Paula,")
    assert "Choisir un nouveau mot de passe" in html


def test_it_tells_an_unknown_address_in_the_site_voice(browser_client, db, mailoutbox):
    browser_client.post("/accounts/password/reset/", {"email": NEWCOMER})

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert mail.subject == "Aucun compte OnPromet à cette adresse"
    assert f"{SITE}/accounts/signup/" in mail.body


def test_it_greets_nobody_when_a_member_asks_a_reset_for_an_unknown_address(
    browser_client, participant, mailoutbox
):
    browser_client.force_login(participant)
    browser_client.post("/accounts/password/reset/", {"email": NEWCOMER})

    (mail,) = mailoutbox
    text, html = parts(mail)
    assert text.startswith("Bonjour,")
    assert participant.display_name not in text + html


# --- Security notices (only with ACCOUNT_EMAIL_NOTIFICATIONS, off in settings) --------------

NOTIFICATIONS = {
    "email_changed": ({"from_email": "ancienne@example.org", "to_email": NEWCOMER}, "a changé"),
    "email_deleted": ({"deleted_email": "ancienne@example.org"}, "a été retirée"),
    "password_changed": ({}, "a été modifié"),
    "password_set": ({}, "a été choisi"),
    "password_reset": ({}, "a été réinitialisé"),
}


@pytest.mark.parametrize("name", NOTIFICATIONS)
def test_it_writes_the_security_notices_in_the_site_voice(
    rf, participant, mailoutbox, settings, name
):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    context, words = NOTIFICATIONS[name]
    request = rf.get("/", HTTP_HOST=REQUEST_HOST, HTTP_USER_AGENT="Firefox")
    with allauth_context.request_context(request):
        get_adapter().send_notification_mail(f"account/email/{name}", participant, context)

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert words in mail.subject
    assert f"{SITE}/accounts/password/reset/" in mail.body
    assert "avec le navigateur Firefox" in mail.body


def test_it_sends_a_notice_when_the_password_changes_if_notices_are_on(
    client, participant, mailoutbox, settings
):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    client.force_login(participant)
    new = "Autre-promesse-2029"
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    (mail,) = mailoutbox
    assert_in_site_voice(mail)
    assert mail.subject == "Votre mot de passe OnPromet a été modifié"
