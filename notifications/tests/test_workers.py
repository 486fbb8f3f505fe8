"""Single emails (onpromet.mail) leave from a real `celery worker` process, not from the
request: the real Redis, a real SMTP server on 127.0.0.1, and committed data (transactional
tests). The broadcasts' workers: promises/tests/test_emails_workers.py."""

import pytest
import redis
from django.test import Client
from django.urls import reverse

from conftest import TEST_REDIS_URL

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_queue():
    # Tasks left by earlier tests (whose rows are gone) would only slow the worker down.
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def test_it_sends_account_emails_from_the_worker_not_the_request(smtp, worker_factory, settings):
    settings.EMAILS_VIA_WORKER = True
    response = Client().post(
        reverse("account_signup"),
        {
            "display_name": "Nadia",
            "email": "nadia@example.org",
            "password1": "Promesse-tenue-2027",
            "password2": "Promesse-tenue-2027",
        },
    )
    assert response.status_code == 302
    # The request is over and no SMTP conversation has happened yet: the email waits in Redis.
    assert smtp.messages == []

    worker_factory().start()
    assert smtp.wait_for(1, timeout=60)
    assert smtp.recipients == {"nadia@example.org": 1}
    assert "/accounts/confirm-email/" in smtp.messages[0].get_body(("plain",)).get_content()
