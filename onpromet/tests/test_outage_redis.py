"""Redis down: the site keeps working. Rate limits (ours and allauth's) fail open with one
warning, nothing answers 500, account emails go out at once and broadcasts once Redis is back.

The first half runs the site in a real gunicorn process whose Redis (cache and Celery broker)
is a port where nothing listens, driven over HTTP like a browser without JavaScript. The
second half looks at the cache backend itself (onpromet/cache.py), in this process.
"""

import logging
import re
import shutil
import socket
import subprocess
import time

import pytest
import redis
import time_machine
from allauth.account.models import EmailAddress
from allauth.core import ratelimit as allauth_ratelimit
from django.conf import global_settings
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from conftest import TEST_REDIS_URL
from discussions.models import Post, Report
from notifications.models import Broadcast
from notifications.tasks import sweep
from notifications.tests.fixtures import free_port
from onpromet import cache as fail_open
from onpromet.ratelimit import hit
from promises import services
from promises.emails import REACHED
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory

WARNING = "Redis cache unreachable"
CONFIRM_LINK = re.compile(r"http://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")
RESET_LINK = re.compile(r"http://[^/\s]+(/accounts/password/reset/key/\S+/)")
NEW_PASSWORD = "Une-autre-promesse-2028"


@pytest.fixture(autouse=True)
def _real_password_hashers(settings):
    # The server process checks passwords with the production hashers, not the tests' MD5.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture
def down(server_factory, smtp):
    """The site with its Redis gone (cache and broker), sending email to the test SMTP sink."""
    return server_factory(
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp.port,
    ).start()


def assert_warned_once(server) -> None:
    """The outage is in the log, once: not once per request nor per cache call."""
    log = server.log()
    assert "Server Error" not in log
    assert log.count(WARNING) == 1, log


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


# --- The site, Redis down -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_logs_in(down):
    user = UserFactory()
    visitor = down.visitor()

    response = visitor.log_in(user.email, PASSWORD)

    assert (response.status, response.headers["Location"]) == (302, "/")
    assert visitor.get("/moi/").status == 200  # logged in: the dashboard opens
    assert_warned_once(down)


@pytest.mark.django_db(transaction=True)
def test_it_signs_up_and_sends_the_confirmation_at_once(down, smtp):
    response = down.visitor().post(
        "/accounts/signup/",
        {
            "display_name": "Zoé",
            "email": "zoe@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert (response.status, response.headers["Location"]) == (302, "/accounts/confirm-email/")
    assert User.objects.filter(email="zoe@example.org").exists()
    # The broker is down too: the confirmation is sent from the request rather than lost.
    assert smtp.wait_for(1, timeout=10)
    assert smtp.recipients == {"zoe@example.org": 1}
    assert CONFIRM_LINK.search(body(smtp.messages[0]))
    assert "Broker unreachable; sending" in down.log()
    assert_warned_once(down)


@pytest.mark.django_db(transaction=True)
def test_it_resets_a_password(down, smtp):
    user = UserFactory()
    visitor = down.visitor()

    response = visitor.post("/accounts/password/reset/", {"email": user.email})

    assert (response.status, response.headers["Location"]) == (
        302,
        "/accounts/password/reset/done/",
    )
    assert smtp.wait_for(1, timeout=10)
    link = RESET_LINK.search(body(smtp.messages[0]))
    # The link leads to the form for the new password (allauth first moves the key to the session).
    form = visitor.get(link[1])
    assert form.status == 302
    response = visitor.post(
        form.headers["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_warned_once(down)


@pytest.mark.django_db(transaction=True)
def test_it_counts_a_pledge_and_sends_the_news_once_redis_is_back(down, smtp, worker_factory):
    promise = PromiseFactory(objective=1)
    user = UserFactory()
    visitor = down.visitor()
    visitor.log_in(user.email, PASSWORD)

    response = visitor.post(
        f"/promesses/{promise.slug}/promettre/", form=promise.get_absolute_url()
    )

    assert (response.status, response.headers["Location"]) == (302, promise.get_absolute_url())
    assert promise.pledges.get(user=user).status == Pledge.Status.ACTIVE
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    # "Objectif atteint" waits in the outbox: the broker could not take it.
    broadcast = Broadcast.objects.get(kind=REACHED)
    assert f"broadcast {broadcast.pk} left to the sweep" in down.log()
    assert smtp.messages == []
    assert_warned_once(down)

    # Redis is back (the test Redis): a worker starts and the periodic sweep finds the broadcast.
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()  # tasks of earlier tests, rows long gone
    worker_factory().start()
    assert sweep()["enqueued"] == 1
    assert smtp.wait_for(2, timeout=60)
    assert smtp.recipients == {user.email: 1, promise.created_by.email: 1}
    assert {str(m["Subject"]) for m in smtp.messages} == {
        "Objectif atteint\u00a0: passez à l'action\u00a0!"
    }


@pytest.mark.django_db(transaction=True)
def test_it_takes_an_anonymous_pledge_through_sign_up_and_confirmation(down, smtp):
    promise = PromiseFactory(objective=5)
    visitor = down.visitor()

    response = visitor.post(
        f"/promesses/{promise.slug}/promettre/", form=promise.get_absolute_url()
    )

    assert response.status == 302
    signup = response.headers["Location"]
    assert signup == f"/accounts/signup/?next=%2Fpromesses%2F{promise.slug}%2F"
    response = visitor.post(
        signup,
        {
            "display_name": "Nina",
            "email": "nina@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": promise.get_absolute_url(),
        },
    )
    assert response.status == 302
    nina = User.objects.get(email="nina@example.org")
    assert promise.pledges.get(user=nina).status == Pledge.Status.PENDING

    assert smtp.wait_for(1, timeout=10)
    confirm = CONFIRM_LINK.search(body(smtp.messages[0]))[1]
    response = visitor.post(confirm)
    assert (response.status, response.headers["Location"]) == (302, promise.get_absolute_url())
    assert EmailAddress.objects.get(user=nina).verified
    assert promise.pledges.get(user=nina).status == Pledge.Status.ACTIVE
    assert_warned_once(down)


@pytest.mark.django_db(transaction=True)
def test_it_posts_in_the_discussion_and_reports_a_post(down):
    promise = PromiseFactory(objective=5)
    participant, outsider = UserFactory(), UserFactory()
    services.pledge_create(promise=promise, user=participant)
    page = promise.get_absolute_url()

    author = down.visitor()
    author.log_in(participant.email, PASSWORD)
    response = author.post(
        f"/promesses/{promise.slug}/discussion/", {"text": "Rendez-vous au parking."}, form=page
    )
    assert response.status == 302
    post = Post.objects.get(promise=promise)
    assert response.headers["Location"].endswith(f"#message-{post.pk}")
    assert post.author == participant

    reporter = down.visitor()
    reporter.log_in(outsider.email, PASSWORD)
    response = reporter.post(f"/signaler/message/{post.pk}/", {"reason": "spam"})
    assert response.status == 302
    assert Report.objects.get().reporter == outsider
    assert_warned_once(down)


# --- The cache backend, in this process --------------------------------------------------


def cache_at(settings, location: str) -> None:
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}


@pytest.fixture
def warnings(caplog):
    caplog.set_level(logging.INFO, logger="onpromet.cache")
    return lambda: [r for r in caplog.records if r.name == "onpromet.cache"]


@pytest.fixture
def black_hole():
    """A port that accepts connections and never answers (a Redis behind a dead network
    link): each call would cost the whole socket timeout."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)  # never accepted: the kernel completes the handshake, nobody replies
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


def test_it_lets_every_rate_limited_action_through_when_redis_refuses(settings, warnings):
    cache_at(settings, f"redis://127.0.0.1:{free_port()}/0")

    assert all(hit("pledge:user:1", 1, 60) for _ in range(5))  # the limit is 1
    assert cache.add("k", 1) is True
    assert cache.get("k", "défaut") == "défaut"
    assert cache.incr("k", 3) == 3
    assert cache.set("k", 1) is None
    assert cache.delete("k") is False
    assert cache.get_many(["k"]) == {}

    (record,) = warnings()  # one warning for all of the above
    assert record.levelno == logging.WARNING
    assert WARNING in record.getMessage()


def test_it_takes_allauths_lock_at_once_instead_of_spinning(settings, warnings):
    cache_at(settings, f"redis://127.0.0.1:{free_port()}/0")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.1.2.3")

    started = time.monotonic()
    for _ in range(30):  # beyond "login_failed" limits of 10/m/ip and 5/5m/key
        assert allauth_ratelimit.consume(request, action="login_failed", key="zoe@example.org")
    # allauth waits up to a second for a lock it cannot take: never here.
    assert time.monotonic() - started < 1
    assert len(warnings()) == 1


def test_it_leaves_a_silent_redis_alone_for_a_few_seconds(settings, black_hole, warnings):
    cache_at(settings, black_hole)
    timeout = settings.CACHES["default"]["OPTIONS"]["socket_timeout"]

    started = time.monotonic()
    assert hit("post:user:1", 6, 60)  # waits for the socket timeout once
    first = time.monotonic() - started
    assert timeout * 0.8 <= first < timeout + 1

    started = time.monotonic()
    for _ in range(8):  # about what one log-in asks of the cache
        assert hit("post:user:1", 6, 60)
    assert time.monotonic() - started < timeout / 2  # not one timeout each
    assert len(warnings()) == 1


@pytest.fixture
def redis_server():
    """A Redis of our own on a free port, that a test may stop and start (a real outage)."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = None

    class Control:
        url = f"redis://127.0.0.1:{port}/0"

        def start(self):
            nonlocal process
            process = subprocess.Popen(  # noqa: S603 (Debian's redis-server, fixed arguments)
                [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            client = redis.Redis.from_url(self.url)
            for _ in range(100):
                try:
                    client.ping()
                    return
                except redis.exceptions.ConnectionError:
                    time.sleep(0.05)
            raise AssertionError("redis-server did not start")

        def stop(self):
            process.terminate()
            process.wait(timeout=10)

    control = Control()
    yield control
    if process is not None and process.poll() is None:
        control.stop()


def test_it_counts_again_once_redis_is_back(settings, redis_server, warnings, monkeypatch):
    monkeypatch.setattr(fail_open, "RETRY_AFTER", 0.2)
    cache_at(settings, redis_server.url)

    # One window of the limit throughout, whatever the clock (time.monotonic() still runs).
    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=False):
        assert [hit("report:user:1", 2, 60) for _ in range(3)] == [True, True, True]
        assert [r.levelno for r in warnings()] == [logging.WARNING]

        redis_server.start()
        time.sleep(0.3)  # past RETRY_AFTER: the next call tries Redis again
        assert [hit("report:user:1", 2, 60) for _ in range(3)] == [True, True, False]
        assert [r.levelno for r in warnings()] == [logging.WARNING, logging.INFO]
        assert "answers again" in warnings()[-1].getMessage()

        redis_server.stop()
        assert hit("report:user:1", 2, 60)  # down again: open again, and said so again
        assert [r.levelno for r in warnings()] == [logging.WARNING, logging.INFO, logging.WARNING]
