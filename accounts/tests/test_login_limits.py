"""Log-in limits count wrong passwords only: many people logging in at once from one IP (an
office, a school, a phone network) all get in, while guessing stays limited per address and
per IP (settings.ACCOUNT_RATE_LIMITS["login_failed"], counted by accounts.adapters)."""

import http.client
import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
TOO_MANY = "Trop de tentatives de connexion échouées"
WRONG = "L’adresse e-mail ou le mot de passe sont incorrects."
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONCURRENT = 30


def failure_limit(per: str) -> int:
    """How many failures settings allow per "ip" or per "key" (the address)."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    return next(rate.amount for rate in rates if rate.per == per)


def _log_in(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def assert_refused(response) -> None:
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()


def assert_wrong_password(response) -> None:
    assert response.status_code == 200
    content = response.content.decode()
    assert WRONG in content
    assert TOO_MANY not in content


# --- Failures are still limited -----------------------------------------------------------


def test_it_refuses_an_address_after_its_failures_even_with_the_right_password(client, participant):
    for _ in range(failure_limit("key")):
        assert_wrong_password(_log_in(client, participant.email, "pas-le-bon"))

    assert_refused(_log_in(client, participant.email, PASSWORD))
    assert "_auth_user_id" not in client.session
    # From another IP too: the count is per address.
    assert_refused(_log_in(Client(REMOTE_ADDR="10.9.8.7"), participant.email, PASSWORD))


def test_it_counts_an_address_whatever_host_and_port_the_request_names(
    client, participant, settings
):
    # allauth keyed the count on the Host header: a fresh port, a fresh count.
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    for port in range(failure_limit("key")):
        response = _log_in(client, participant.email, "pas-le-bon", HTTP_HOST=f"127.0.0.1:{port}")
        assert_wrong_password(response)

    assert_refused(_log_in(client, participant.email, PASSWORD, HTTP_HOST="127.0.0.1:6666"))


def test_it_refuses_an_ip_beyond_its_failures_across_addresses(client, db):
    for n in range(failure_limit("ip")):
        assert_wrong_password(_log_in(client, f"inconnu{n}@example.org", "x"))

    assert_refused(_log_in(client, "encore@example.org", "x"))
    # Another IP is not held back.
    assert_wrong_password(_log_in(Client(REMOTE_ADDR="10.9.8.7"), "encore@example.org", "x"))


# --- Correct log-ins are not failures -----------------------------------------------------


def test_it_does_not_count_correct_log_ins_as_failures(client, participant):
    # More log-ins from one IP than any limit allows, allauth's former 30 a minute included.
    for _ in range(40):
        response = _log_in(client, participant.email, PASSWORD)
        assert response.status_code == 302
        client.logout()

    assert_wrong_password(_log_in(client, participant.email, "pas-le-bon"))


def test_it_lets_a_correct_password_in_below_the_limit(client, participant):
    for _ in range(failure_limit("key") - 1):
        assert_wrong_password(_log_in(client, participant.email, "pas-le-bon"))

    assert _log_in(client, participant.email, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == participant.pk


# --- Many correct log-ins at once from one IP ---------------------------------------------


class SlowerHasher(PBKDF2PasswordHasher):
    """Checks a password in some 30 ms: log-ins stay in flight for a while, as in production
    (a third of a second there), which the tests' MD5 would not show. allauth counted each
    log-in as a failure for that long before taking the hit back."""

    iterations = PBKDF2PasswordHasher.iterations // 10


class Browser:
    """One visitor of the live server, with its own cookies; redirects are not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()

    def connect(self) -> http.client.HTTPConnection:
        parts = urllib.parse.urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.connect()
        return connection

    def request(self, path: str, data: dict | None = None, *, connection=None):
        """(status, Location, body), on `connection` if given (an already open one)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Never opened: it only carries the cookies between the jar and http.client.
        request = urllib.request.Request(self.base_url + path, body)  # noqa: S310
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        self.cookies.add_cookie_header(request)
        connection = connection or self.connect()
        try:
            connection.request(
                request.get_method(), path, body=body, headers=dict(request.header_items())
            )
            response = connection.getresponse()
            self.cookies.extract_cookies(response, request)
            return response.status, response.getheader("Location", ""), response.read().decode()
        finally:
            connection.close()

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


@pytest.mark.django_db(transaction=True)
def test_it_lets_many_correct_log_ins_from_one_ip_in_at_once(live_server, settings):
    """30 people behind one IP log in at the same moment, on a threaded server with the real
    Redis cache: every one gets in (allauth's count-then-take-back refused up to a third)."""
    users = UserFactory.create_batch(CONCURRENT)
    settings.PASSWORD_HASHERS = [f"{__name__}.{SlowerHasher.__name__}"]
    User.objects.filter(pk__in=[user.pk for user in users]).update(password=make_password(PASSWORD))
    browsers = [Browser(live_server.url) for _ in users]
    tokens = []
    for browser in browsers:
        status, _, page = browser.request(LOGIN)
        assert status == 200
        tokens.append(CSRF_TOKEN.search(page).group(1))

    # The connections are opened one after the other (Django's test server accepts only 10
    # waiting at once, a real server thousands), then every POST leaves at the same moment:
    # all of them are in flight together.
    connections = [browser.connect() for browser in browsers]
    barrier = threading.Barrier(CONCURRENT)
    results = [(None, "", "no answer")] * CONCURRENT

    def log_in(n: int) -> None:
        data = {"login": users[n].email, "password": PASSWORD, "csrfmiddlewaretoken": tokens[n]}
        barrier.wait(timeout=30)
        try:
            results[n] = browsers[n].request(LOGIN, data, connection=connections[n])
        except OSError as error:
            results[n] = (None, "", repr(error))

    threads = [threading.Thread(target=log_in, args=(n,)) for n in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Sent on, away from the log-in page (a refusal is the page again, or a 429).
    refused = [
        (users[n].email, status, "Trop de tentatives" in body)
        for n, (status, location, body) in enumerate(results)
        if status != 302 or location.startswith(LOGIN)
    ]
    assert not refused, f"{len(refused)}/{CONCURRENT} refused (address, status, too many?)"
    # And logged in for real.
    for browser in browsers:
        assert browser.cookie(settings.SESSION_COOKIE_NAME)
        status, _, _ = browser.request("/moi/")
        assert status == 200
