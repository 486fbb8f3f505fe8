"""Gate 7, abuse: every limit and honeypot of the site, exercised with the real cache (the root
conftest gives each test its own keys on the test Redis) and the limits configured in settings."""

import datetime
import re

import time_machine
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from onpromet.ratelimit import hit
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory, ThemeFactory

TOO_MANY = "Trop de tentatives"
ADMIN_LOGIN = "/admin/login/"


def allauth_limit(action: str, per: str) -> int:
    """The number of hits allauth allows for `action` (settings.ACCOUNT_RATE_LIMITS over its
    defaults), counted per `per` ("ip", "key" or "user"), e.g. "20/m/ip,5/m/key" → 5 for
    "key"."""
    for rate in allauth_settings.RATE_LIMITS[action].split(","):
        amount, _duration, *who = rate.split("/")
        if who == [per]:
            return int(amount)
    raise AssertionError(f"no {per} limit for {action}")


def assert_too_many(response) -> None:
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()


# --- The helper ---------------------------------------------------------------------------


def test_it_counts_hits_in_a_window_then_starts_again(db):
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        assert all(hit("essai", 3, 60) for _ in range(3))
        assert not hit("essai", 3, 60)
        assert hit("autre", 3, 60)
        traveller.shift(datetime.timedelta(seconds=61))
        assert hit("essai", 3, 60)


# --- allauth's limits: sign-up, log-in, password reset ------------------------------------


def _signup_data(n: int) -> dict:
    return {
        "display_name": "Robot",
        "email": f"robot{n}@example.org",
        "password1": "court",
        "password2": "different",
    }


def test_it_limits_sign_ups_per_ip(client, db):
    limit = allauth_limit("signup", "ip")
    for n in range(limit):
        assert client.post(reverse("account_signup"), _signup_data(n)).status_code == 200

    assert_too_many(client.post(reverse("account_signup"), _signup_data(limit)))
    # Another address is not held back.
    other = client.post(reverse("account_signup"), _signup_data(0), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_it_limits_failed_log_ins_per_address(client, participant):
    limit = allauth_limit("login_failed", "key")
    wrong = {"login": participant.email, "password": "pas-le-bon"}
    for _ in range(limit):
        response = client.post(reverse("account_login"), wrong)
        assert "Trop de tentatives" not in response.content.decode()

    # Even the right password is refused until the window has passed.
    response = client.post(reverse("account_login"), {**wrong, "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_limits_failed_log_ins_per_ip(client, db):
    limit = allauth_limit("login_failed", "ip")
    for n in range(limit):
        client.post(reverse("account_login"), {"login": f"x{n}@example.org", "password": "x"})

    response = client.post(reverse("account_login"), {"login": "y@example.org", "password": "x"})
    assert "Trop de tentatives de connexion échouées" in response.content.decode()


def test_it_limits_password_resets_per_address(client, participant):
    limit = allauth_limit("reset_password", "key")
    for _ in range(limit):
        response = client.post(reverse("account_reset_password"), {"email": participant.email})
        assert response.status_code == 302
    sent = len(mail.outbox)

    assert_too_many(client.post(reverse("account_reset_password"), {"email": participant.email}))
    assert len(mail.outbox) == sent


def test_it_limits_password_resets_per_ip(client, db):
    limit = allauth_limit("reset_password", "ip")
    for n in range(limit):
        client.post(reverse("account_reset_password"), {"email": f"x{n}@example.org"})

    assert_too_many(client.post(reverse("account_reset_password"), {"email": "y@example.org"}))


# --- Our limit: pledges -------------------------------------------------------------------


def test_it_limits_pledges_per_member(client, outsider, initiator):
    limit, period = settings.RATE_LIMITS["pledge"]
    promises = PromiseFactory.create_batch(2, created_by=initiator)
    client.force_login(outsider)
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(limit):
            # Pledging again and again (the first counts, the others are refused politely).
            response = client.post(reverse("promises:pledge", args=[promises[0].slug]))
            assert response.status_code == 302

        response = client.post(reverse("promises:pledge", args=[promises[1].slug]))
        assert_too_many(response)
        assert response["Retry-After"] == str(period)
        assert not Pledge.objects.filter(promise=promises[1], user=outsider).exists()

        # Others may still pledge; and so may this member once the window has passed.
        other = Client()
        other.force_login(UserFactory())
        assert other.post(reverse("promises:pledge", args=[promises[1].slug])).status_code == 302
        traveller.shift(datetime.timedelta(seconds=period + 1))
        response = client.post(reverse("promises:pledge", args=[promises[1].slug]))
        assert response.status_code == 302
        assert Pledge.objects.filter(promise=promises[1], user=outsider).exists()


def test_it_answers_htmx_and_json_calls_with_a_json_429(client, outsider, promise, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": (1, 60)}
    client.force_login(outsider)
    url = reverse("promises:pledge", args=[promise.slug])
    assert client.post(url).status_code == 302
    for headers in ({"HX-Request": "true"}, {"Accept": "application/json"}):
        response = client.post(url, headers=headers)
        assert response.status_code == 429
        assert "Trop de tentatives" in response.json()["error"]


def test_it_limits_co_initiator_invitations_per_hour(client, initiator, promise, settings):
    limit, period = settings.RATE_LIMITS["invite"]
    client.force_login(initiator)
    url = reverse("promises:initiators", args=[promise.slug])
    for n in range(limit):
        assert client.post(url, {"email": f"ami{n}@example.org"}).status_code == 302
    response = client.post(url, {"email": "un-de-trop@example.org"})
    assert_too_many(response)
    assert response["Retry-After"] == str(period)
    assert promise.invitations.count() == limit


def test_it_limits_pledges_of_anonymous_visitors_per_ip(client, promise):
    limit, _period = settings.RATE_LIMITS["pledge"]
    url = reverse("promises:pledge", args=[promise.slug])
    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=False):
        for _ in range(limit):
            assert client.post(url).status_code == 302
        assert_too_many(client.post(url))


# --- The admin log-in: django-axes --------------------------------------------------------


def _admin_login(client: Client, email: str, password: str, **extra):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password}, **extra)


def test_it_locks_the_admin_log_in_after_repeated_failures(client, moderator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _admin_login(client, moderator.email, "pas-le-bon").status_code == 200
    assert_too_many(_admin_login(client, moderator.email, "pas-le-bon"))

    # Locked: even the right password is refused, from this IP, for this address.
    assert_too_many(_admin_login(client, moderator.email, PASSWORD))
    assert "_auth_user_id" not in client.session
    # The same address from another IP is not locked out (combination of both).
    other = _admin_login(Client(), moderator.email, PASSWORD, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302

    # After the cool-off, the moderator may log in again.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME, tick=False):
        assert _admin_login(client, moderator.email, PASSWORD).status_code == 302


def test_it_lets_a_moderator_log_in_to_the_admin(client, moderator):
    _admin_login(client, moderator.email, "pas-le-bon")
    assert _admin_login(client, moderator.email, PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_leaves_the_sites_log_in_to_allauths_limits(client, participant):
    """Failed log-ins on the site are not counted by axes: they never lock the admin."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("account_login"), {"login": participant.email, "password": "x"})
    assert not AccessAttempt.objects.exists()

    client.cookies.clear()
    response = client.post(ADMIN_LOGIN, {"username": participant.email, "password": PASSWORD})
    assert response.status_code == 200  # not staff: the admin says so, no lockout
    assert TOO_MANY not in response.content.decode()


# --- Honeypots ----------------------------------------------------------------------------

HONEYPOT_WRAPPER = re.compile(r'<div id="div_id_website" class="[^"]*\bd-none\b[^"]*">')


def _assert_hidden_honeypot(page: str) -> None:
    assert HONEYPOT_WRAPPER.search(page), "the honeypot's wrapper is not hidden"
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", page)[0]
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
    assert 'aria-hidden="true"' in field
    assert "Ne pas remplir" in page


def test_it_hides_the_sign_up_honeypot_from_people(client, db):
    _assert_hidden_honeypot(client.get(reverse("account_signup")).content.decode())


def test_it_silently_drops_a_sign_up_that_filled_the_honeypot(client, db):
    data = {
        "display_name": "Robot",
        "email": "robot@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "website": "http://spam.example",
    }
    response = client.post(reverse("account_signup"), data)

    # Answered like a sign-up that worked…
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # …but nothing was created and nobody was emailed.
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []

    # A person (honeypot left empty) signs up with the same form.
    response = client.post(reverse("account_signup"), {**data, "website": ""})
    assert response.status_code == 302
    assert User.objects.filter(email="robot@example.org").exists()


def test_it_hides_the_promise_honeypot_from_people(client, initiator):
    client.force_login(initiator)
    _assert_hidden_honeypot(client.get(reverse("promises:create")).content.decode())


def test_it_silently_drops_a_promise_that_filled_the_honeypot(client, initiator):
    client.force_login(initiator)
    data = {
        "action": "acheter des montres de luxe pas chères",
        "objective": "5",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "description": "Cliquez ici.",
        "themes": [ThemeFactory().pk],
        "city": "Internet",
        "website": "http://spam.example",
    }
    response = client.post(reverse("promises:create"), data, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Merci, votre envoi a bien été reçu." in response.content.decode()
    assert not Promise.objects.exists()

    response = client.post(reverse("promises:create"), {**data, "website": ""})
    assert response.status_code == 302
    assert Promise.objects.count() == 1


def test_it_drops_a_bot_whatever_it_put_in_the_honeypot(client, initiator):
    # A NUL byte, refused by Postgres, is no error either: the bot learns nothing.
    assert client.post(reverse("account_signup"), {"website": "\x00"}).status_code == 302
    client.force_login(initiator)
    assert client.post(reverse("promises:create"), {"website": "\x00"}).status_code == 302
    assert not User.objects.exclude(pk=initiator.pk).exists()
    assert not Promise.objects.exists()


# --- Our limits: promises and edits ---------------------------------------------------------


def _promise_data(**changes) -> dict:
    return {
        "action": "aller planter des arbres au parc",
        "objective": "4",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "description": "Pelles fournies.",
        "themes": [ThemeFactory().pk],
        "city": "Lyon",
        **changes,
    }


def test_it_limits_the_promises_one_person_launches(client, initiator):
    limit, period = settings.RATE_LIMITS["promise"]
    client.force_login(initiator)
    url = reverse("promises:create")
    with time_machine.travel(timezone.now().replace(minute=0, second=0), tick=False) as traveller:
        # A form sent back with its errors has launched nothing: it does not count.
        for _ in range(limit + 2):
            assert client.post(url, _promise_data(objective="0")).status_code == 200
        for _ in range(limit):
            assert client.post(url, _promise_data()).status_code == 302
        response = client.post(url, _promise_data())
        assert_too_many(response)
        assert response["Retry-After"] == str(period)
        assert Promise.objects.filter(created_by=initiator).count() == limit

        # Someone else may still launch one; and so may this person an hour later.
        other = Client()
        other.force_login(UserFactory())
        assert other.post(url, _promise_data()).status_code == 302
        traveller.shift(datetime.timedelta(seconds=period + 1))
        assert client.post(url, _promise_data()).status_code == 302


def test_it_counts_relaunches_with_new_promises(client, initiator, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "promise": (1, 3600)}
    failed = PromiseFactory(created_by=initiator)
    Promise.objects.filter(pk=failed.pk).update(state=Promise.State.FAILED)
    client.force_login(initiator)
    assert client.post(reverse("promises:create"), _promise_data()).status_code == 302

    response = client.post(reverse("promises:relaunch", args=[failed.slug]), _promise_data())

    assert_too_many(response)
    assert not Promise.objects.filter(relaunched_from=failed).exists()


def test_it_limits_edits_of_what_others_read(client, initiator, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "edit": (2, 3600)}
    promise = PromiseFactory(created_by=initiator)
    client.force_login(initiator)
    edit = reverse("promises:edit", args=[promise.slug])
    for city in ("Lille", "Nantes"):
        assert client.post(edit, _promise_data(city=city)).status_code == 302
    assert_too_many(client.post(edit, _promise_data(city="Brest")))
    # The edits of a post, a bilan and one's name are counted together with it.
    assert_too_many(client.post(reverse("accounts:profile"), {"display_name": "Arthur B."}))
    promise.refresh_from_db()
    assert promise.city == "Nantes"


def test_it_limits_the_email_addresses_one_adds(client, participant):
    limit = allauth_limit("manage_email", "user")
    client.force_login(participant)
    for n in range(limit):
        data = {"email": f"autre{n}@example.org", "action_add": ""}
        assert client.post(reverse("account_email"), data).status_code == 302
    response = client.post(
        reverse("account_email"), {"email": "de-trop@example.org", "action_add": ""}
    )
    assert_too_many(response)
    assert not EmailAddress.objects.filter(email="de-trop@example.org").exists()
