"""The cast of every test: an initiator, a participant, an outsider and a moderator."""

import os

import pytest
import redis

from accounts.tests.factories import UserFactory
from promises import services
from promises.tests.factories import PromiseFactory

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
    # Account emails are sent at once in tests (test_account_emails.py covers the worker path).
    settings.EMAILS_VIA_WORKER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test gets a fresh in-memory cache: allauth's rate limits must not leak between tests.
    # (LocMemCache instances with the same LOCATION share one store: give each test its own.)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
    return UserFactory(display_name="Modération", is_staff=True, is_superuser=True)


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
