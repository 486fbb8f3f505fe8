"""The cast of every test: an initiator, a participant, an outsider, a moderator and a superuser;
and the browser fixtures: a real Chromium (Debian's), driven through Playwright's sync API.

Browser tests are marked ``@pytest.mark.browser`` and run against ``live_server`` with
``@pytest.mark.django_db(transaction=True)``, so the server thread sees the test's data.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest
import redis

from accounts.services import moderator_grant
from accounts.tests.factories import UserFactory
from onpromet import pagecache
from promises import services
from promises.tests.factories import PromiseFactory

pytest_plugins = ["notifications.tests.fixtures"]

# Tests publish Celery tasks to their own Redis database, never to the one `make run` uses.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker, dropping its pooled connections
    (Celery keeps them in private attributes; this is what it does itself after a fork)."""
    from onpromet.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="session", autouse=True)
def _test_broker():
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    use_broker(TEST_REDIS_URL)
    yield
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Hashing passwords properly takes a third of a second each: far too slow for factories.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Account emails are sent at once in tests (notifications/tests/test_workers.py covers the
    # worker path).
    settings.EMAILS_VIA_WORKER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The production cache backend on the test Redis, so tests meet what the site meets (an
    # in-memory cache once hid that a Redis outage turned every log-in into a 500). A key
    # prefix of its own per test: rate-limit counters never leak from one test to the next.
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": f"test-{os.urandom(8).hex()}",
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The pages each process keeps in memory (onpromet/pagecache.py): nothing from another
    # test.
    pagecache.memory.clear()


@pytest.fixture
def initiator(db):
    return UserFactory(display_name="Arthur")


@pytest.fixture
def participant(db):
    return UserFactory(display_name="Paula")


@pytest.fixture
def outsider(db):
    return UserFactory(display_name="Oscar")


@pytest.fixture
def moderator(db):
    """A real moderator, made exactly as `manage.py moderator` makes one: staff, in the
    Modération group, not superuser."""
    user = UserFactory(display_name="Modération")
    moderator_grant(user=user)
    return user


@pytest.fixture
def superuser(db):
    """A full administrator (`manage.py createsuperuser`): manages staff and everything else."""
    return UserFactory(display_name="Administration", is_staff=True, is_superuser=True)


@pytest.fixture
def promise(initiator):
    """An open promise started by the initiator, with an objective of 3 others."""
    return PromiseFactory(created_by=initiator, objective=3)


@pytest.fixture
def pledged(promise, participant):
    """The participant has pledged to the promise (confirmed email, so counted)."""
    services.pledge_create(promise=promise, user=participant)
    promise.refresh_from_db()
    return promise


# Browser fixtures (promises/tests, onpromet/tests).

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Screenshots: /tmp unless SCREENSHOTS_DIR says otherwise (CI may keep it as an artifact).
SCREENSHOTS_DIR = Path(os.environ.get("SCREENSHOTS_DIR") or tempfile.gettempdir())
TIMEOUT_MS = 5_000  # a page of this site answers in milliseconds; fail fast, not after 30 s


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        reason = (
            f"Chromium not found at {executable} (set CHROMIUM, or run `make chromium`, "
            "i.e. apt-get install chromium)"
        )
        if _in_ci():
            pytest.fail(f"{reason}; browser tests must run in CI.", pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in the main thread, the one the test
    # runs in. Django sees that running loop and refuses every ORM call from the test
    # (SynchronousOnlyOperation), although the test's code is plain synchronous code that
    # never runs inside that loop. The variable turns that guard off while the browser runs,
    # and only then: other tests keep the guard (and subprocesses do not inherit it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_errors():
    """JavaScript errors and console errors (a script blocked by the CSP shows up here)."""
    return []


@pytest.fixture
def new_page(browser, browser_errors, request):
    """Open a page in a fresh context (its own cookies): ``new_page(viewport=DESKTOP)``.
    A failing test leaves a screenshot in SCREENSHOTS_DIR/<test name>-failure.png."""
    contexts = []

    def open_page(viewport=PHONE):
        context = browser.new_context(locale="fr-FR", viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: browser_errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                browser_errors.append(f"console: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        return page

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for index, context in enumerate(contexts):
            for page in context.pages:
                path = SCREENSHOTS_DIR / f"{name}-failure{index or ''}.png"
                page.screenshot(path=path, full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page the size of a phone: most visitors come from a link shared on a social network."""
    return new_page(viewport=PHONE)
