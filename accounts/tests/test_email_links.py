"""Every link of every account email points to settings.SITE_URL, whatever Host header the
request that sent it carried: ALLOWED_HOSTS does not check the port, so a client could send
`Host: 127.0.0.1:6666` and have the site mail a password-reset link to a port it chose."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory

URL = re.compile(r"https?://[^\s\"'<>]+")
FORGED_PORT = "6666"
NEWCOMER = "nouvelle@example.org"


@pytest.fixture(
    params=[
        # The case: the site's own host, on another port.
        ("http://127.0.0.1:8000", "127.0.0.1"),
        # And the scheme comes from SITE_URL too (the forged request is plain http).
        ("https://onpromet.example", "onpromet.example"),
    ],
    ids=["port", "scheme"],
)
def site_url(request, settings) -> str:
    site_url, host = request.param
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = [host]
    return site_url


@pytest.fixture
def forged(site_url) -> Client:
    """A browser whose requests all claim the site's host on the attacker's port."""
    host = site_url.split("://")[1].split(":")[0]
    return Client(HTTP_HOST=f"{host}:{FORGED_PORT}", REMOTE_ADDR="10.1.2.3")


def parts(mail) -> list[str]:
    """The text part and the HTML part, if any."""
    return [mail.body] + [
        content
        for content, mimetype in getattr(mail, "alternatives", [])
        if mimetype == "text/html"
    ]


def assert_links_on_site(mail, site_url: str, *, leading_to: str) -> None:
    """Every http(s) link of every part is on SITE_URL, and one of them leads to `leading_to`
    (so that a mail with no link at all does not pass)."""
    links = [link for part in parts(mail) for link in URL.findall(part)]
    assert f"{site_url}{leading_to}" in " ".join(links), links
    for link in links:
        assert link == site_url or link.startswith(f"{site_url}/"), link
    for part in parts(mail):
        assert FORGED_PORT not in part
    # The site is named after SITE_URL too (the footer; allauth's "un compte sur <domaine>").
    assert urlsplit(site_url).netloc in mail.body


def _sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"display_name": "Nina", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_it_links_the_confirmation_at_sign_up_to_the_site(forged, site_url, db, mailoutbox):
    assert _sign_up(forged, NEWCOMER).status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [NEWCOMER]
    assert_links_on_site(mail, site_url, leading_to="/accounts/confirm-email/")


def test_it_links_the_confirmation_sent_again_at_log_in_to_the_site(
    forged, site_url, db, mailoutbox
):
    user = UserFactory(verified=False)
    response = forged.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [user.email]
    assert_links_on_site(mail, site_url, leading_to="/accounts/confirm-email/")


def test_it_links_the_confirmation_sent_again_from_the_email_page_to_the_site(
    forged, site_url, participant, mailoutbox
):
    EmailAddress.objects.create(user=participant, email=NEWCOMER, verified=False)
    forged.force_login(participant)
    response = forged.post("/accounts/email/", {"email": NEWCOMER, "action_send": ""})
    assert response.status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [NEWCOMER]
    assert_links_on_site(mail, site_url, leading_to="/accounts/confirm-email/")


def test_it_links_the_password_reset_to_the_site(forged, site_url, participant, mailoutbox):
    response = forged.post("/accounts/password/reset/", {"email": participant.email})
    assert response.status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [participant.email]
    assert_links_on_site(mail, site_url, leading_to="/accounts/password/reset/key/")


def test_it_links_the_reset_for_an_unknown_address_to_the_site(forged, site_url, db, mailoutbox):
    assert allauth_settings.EMAIL_UNKNOWN_ACCOUNTS
    response = forged.post("/accounts/password/reset/", {"email": NEWCOMER})
    assert response.status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [NEWCOMER]
    assert_links_on_site(mail, site_url, leading_to="/accounts/signup/")


def test_it_links_the_account_already_exists_mail_to_the_site(
    forged, site_url, participant, mailoutbox
):
    assert _sign_up(forged, participant.email).status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [participant.email]
    assert mail.subject == "Vous avez déjà un compte OnPromet"
    assert_links_on_site(mail, site_url, leading_to="/accounts/password/reset/")


def test_it_links_the_confirmation_of_a_new_address_to_the_site(
    forged, site_url, participant, mailoutbox
):
    forged.force_login(participant)
    response = forged.post("/accounts/email/", {"email": NEWCOMER, "action_add": ""})
    assert response.status_code == 302

    (mail,) = mailoutbox
    assert mail.to == [NEWCOMER]
    assert_links_on_site(mail, site_url, leading_to="/accounts/confirm-email/")
