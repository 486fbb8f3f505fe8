"""In a real Chromium: a participant opens a promise that failed. They read that they are
released, and are offered no agenda and no button of a live promise. Screenshots (phone and
desktop) are left in SCREENSHOTS_DIR as promise-failed-*.png."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from promises import services
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.factories import PromiseFactory
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "size"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_participant_reads_that_a_failed_promise_releases_them(
    live_server, new_page, initiator, participant, browser_errors, viewport, size
):
    promise = PromiseFactory(
        created_by=initiator,
        objective=10,
        action_date=timezone.localdate() + datetime.timedelta(days=40),
    )
    services.pledge_create(promise=promise, user=participant)
    with time_machine.travel(promise.deadline + datetime.timedelta(minutes=1)):
        services.promises_fail_expired()
    page = logged_in_page(new_page, live_server, participant, viewport)

    page.goto(live_server.url + promise.get_absolute_url())

    assert page.get_by_text("vous êtes libéré de votre promesse").is_visible()
    assert page.get_by_text("Partagez la promesse").count() == 0
    assert page.get_by_role("link", name="Ajouter à mon agenda").count() == 0
    assert page.get_by_role("button", name="Je promets").count() == 0
    page.screenshot(path=SCREENSHOTS_DIR / f"promise-failed-{size}.png", full_page=True)
    assert browser_errors == []
