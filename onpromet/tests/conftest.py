"""A site with something in every state, and the five kinds of visitor of the gates."""

import dataclasses
import datetime
import email.message
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client

from accounts.tests.factories import UserFactory
from conftest import TEST_REDIS_URL
from discussions import services as discussion_services
from notifications.emails import unsubscribe_token
from notifications.tests.fixtures import ROOT, free_port, stop_process_group
from onpromet.photos import process_photo
from onpromet.tests.access import world  # noqa: F401 (a fixture: the access matrix's cast)
from onpromet.tests.images import image_upload
from promises import services

# The moderator sees the admin of what they moderate; the superuser sees all of it.
from promises.emails import TOPIC_ACTION
from promises.models import Promise
from promises.tests.factories import PromiseFactory, ThemeFactory

VISITORS = ("anonymous", "participant", "initiator", "moderator", "superuser")


@pytest.fixture
def site(initiator, participant, moderator):
    """Promises in every state, with participants, a pending pledge, an abandonment, a hidden
    promise and broadcasts. Returns the sample values that fill URL patterns."""
    theme = ThemeFactory(name="Environnement", slug="environnement")
    open_promise = PromiseFactory(created_by=initiator, objective=5, themes=[theme])
    services.pledge_create(promise=open_promise, user=participant)
    services.pledge_create(promise=open_promise, user=UserFactory(verified=False))
    invitation = services.invitation_create(
        promise=open_promise, invited_by=initiator, email="elsa@example.org"
    )

    reached = PromiseFactory(
        created_by=initiator, objective=2, action="planter des arbres au parc", themes=[theme]
    )
    services.pledge_create(promise=reached, user=participant)
    others = UserFactory.create_batch(2)
    for user in others:
        services.pledge_create(promise=reached, user=user)
    services.pledge_abandon(promise=reached, user=others[0], reason="Malade")

    failed = PromiseFactory(created_by=initiator, objective=10, action="composter au jardin")
    services.pledge_create(promise=failed, user=participant)
    with time_machine.travel(failed.deadline + datetime.timedelta(minutes=1)):
        services.promises_fail_expired()

    cancelled = PromiseFactory(created_by=initiator, action="laisser la voiture le mardi")
    services.promise_cancel(promise=cancelled)

    hidden = PromiseFactory(created_by=initiator, action="un contenu signalé à masquer")
    services.promise_set_hidden(promise=hidden, hidden=True)

    # A discussion: a pinned post, a photo, replies, a hidden post and a report.
    post = discussion_services.post_create(
        promise=open_promise, author=participant, text="On se retrouve au parking ?"
    )
    discussion_services.comment_create(post=post, author=initiator, text="Oui, à 9 h.")
    discussion_services.post_toggle_pin(post=post)
    discussion_services.post_create(
        promise=open_promise,
        author=initiator,
        text="La plage avant.",
        photo=process_photo(image_upload(size=(320, 240))),
    )
    masked = discussion_services.post_create(promise=open_promise, author=initiator, text="Oups")
    discussion_services.content_set_hidden(content=masked, hidden=True)
    discussion_services.report_create(reporter=moderator, content=post, reason="spam")

    # The action: a kept promise, a period with its agenda, news, a co-initiator invitation.
    discussion_services.pledge_keep_and_post(promise=reached, user=participant, comment="Fait")
    Promise.objects.filter(pk=reached.pk).update(
        action_date=datetime.date(2027, 7, 10),
        action_end_date=datetime.date(2027, 9, 10),
        action_schedule="tous les samedis",
    )
    services.update_create(promise=open_promise, author=initiator, text="Gants fournis.")
    services.update_create(
        promise=reached,
        author=initiator,
        text="Une photo du parc.",
        photo=process_photo(image_upload(size=(320, 240))),
    )
    Promise.objects.filter(pk=open_promise.pk).update(action_date=datetime.date(2027, 7, 8))

    # The bilan: a promise finished by its published recap (with someone who abandoned on the
    # way); the reached promise has a draft.
    finished = PromiseFactory(
        created_by=initiator, objective=1, action="repeindre le préau de l'école", themes=[theme]
    )
    services.pledge_create(promise=finished, user=participant)
    abandoner = UserFactory()
    services.pledge_create(promise=finished, user=abandoner)
    services.pledge_abandon(promise=finished, user=abandoner, reason="Déménagement")
    services.recap_save(promise=finished, author=initiator, text="Le préau est neuf.\nMerci !")
    services.recap_publish(promise=finished)
    services.recap_save(promise=reached, author=initiator, text="Brouillon du bilan")

    assert {p.state for p in Promise.objects.all()} >= {
        Promise.State.OPEN,
        Promise.State.REACHED,
        Promise.State.FAILED,
        Promise.State.CANCELLED,
    }
    return {
        "slug": open_promise.slug,
        "code": open_promise.short_code,
        "section": "promises",  # sitemap-<section>.xml
        "pk": str(post.pk),
        "kind": "message",
        "token": unsubscribe_token(user_id=participant.pk, topic=TOPIC_ACTION),
        "invitation": invitation.token,
    }


@pytest.fixture
def visitor_client(initiator, participant, moderator, superuser):
    """visitor_client("participant") → a test client logged in as that member of the cast."""

    def make(kind: str) -> Client:
        client = Client()
        users = {
            "participant": participant,
            "initiator": initiator,
            "moderator": moderator,
            "superuser": superuser,
        }
        if kind in users:
            client.force_login(users[kind])
        return client

    return make


# --- A real server process (outage tests) ----------------------------------------------------


def database_url_of_tests() -> str:
    """The pytest test database, for another process (as notifications' Worker does)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@dataclasses.dataclass
class Answer:
    status: int
    headers: email.message.Message
    text: str


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


class Visitor:
    """A browser without JavaScript: a cookie jar, forms posted with their CSRF token, and
    redirects returned rather than followed. Real HTTP (urllib), to a real server process."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, method=method)  # noqa: S310 (our test server)
        try:
            with self._opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            with error:
                return Answer(error.code, error.headers, error.read().decode())

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None, *, form: str | None = None) -> Answer:
        """POST `data` to `path` with the CSRF token of the page `form` (default: `path`)."""
        page = self.get(form or path)
        assert page.status == 200, (form or path, page.status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {form or path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": token[1], **(data or {})})

    def log_in(self, user_email: str, password: str) -> Answer:
        return self.post("/accounts/login/", {"login": user_email, "password": password})


class Server:
    """The site in a real `gunicorn` process, configured as in production (DEBUG off), on the
    test database and the test Redis unless `env` says otherwise (e.g. a port where nothing
    listens). What it writes to stdout and stderr is kept in `log_path`."""

    def __init__(self, log_path: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        inherited = {
            k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "CELERY_BROKER_URL")
        }
        self.env = {
            **inherited,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_hex(30),  # 60 random characters
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.url,  # the links in emails lead to this server
            "HTTPS": "false",
            "STATIC_MANIFEST": "false",
            "DATABASE_URL": database_url_of_tests(),
            "REDIS_URL": TEST_REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "MEDIA_ROOT": str(log_path.parent / "media"),
            "DJANGO_ALLOW_ASYNC_UNSAFE": "",
            **{key: str(value) for key, value in env.items()},
        }
        self.process = None

    def start(self, timeout: float = 30) -> "Server":
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
            [sys.executable, "-m", "gunicorn", "onpromet.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "60",
             "--graceful-timeout", "2",
             # No control socket: its default path is shared by every gunicorn of this user.
             "--no-control-socket"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        stop = time.monotonic() + timeout
        while time.monotonic() < stop:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            # Up once the worker answers, whatever it answers (the database may be down on
            # purpose); the master accepts connections before its worker has booted.
            try:
                Visitor(self.url).get("/pret/")  # a 404: no database needed
            except OSError:  # refused, reset, or timed out while the worker boots
                time.sleep(0.2)
            else:
                return self
        raise AssertionError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def visitor(self) -> Visitor:
        return Visitor(self.url)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process_group(self.process)
        if self.process:
            self._log.close()


@pytest.fixture
def server_factory(tmp_path):
    """server_factory(REDIS_URL=…).start() → a running Server; stopped after the test, before
    a transactional test empties the database (this fixture is set up after the database)."""
    servers = []

    def make(**env) -> Server:
        server = Server(tmp_path / f"server{len(servers)}.log", **env)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
