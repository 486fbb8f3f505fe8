"""An initiator starts a weekly action in a real Chromium: the first day on the wrong weekday
is refused with a French sentence, then the promise page says the rhythm. Screenshots of both,
and of the error pages' previews (development), desktop and phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from promises.models import Promise
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.factories import ThemeFactory
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next(weekday: int, after: datetime.date) -> datetime.date:
    return after + datetime.timedelta(days=(weekday - after.weekday()) % 7)


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "weekly"), (PHONE, "weekly-phone")])
def test_an_initiator_starts_a_weekly_action(
    live_server, new_page, initiator, browser_errors, viewport, name
):
    ThemeFactory(name="Environnement")
    tuesday = _next(Promise.Weekday.TUESDAY, timezone.localdate() + datetime.timedelta(days=30))
    thursday = tuesday + datetime.timedelta(days=2)
    end = tuesday + datetime.timedelta(days=58)
    page = logged_in_page(new_page, live_server, initiator, viewport)

    page.goto(live_server.url + "/promesses/nouvelle/")
    page.get_by_label("Je promets de…").fill("aller ramasser les déchets du canal")
    page.get_by_label("… si combien de personnes le promettent aussi ?").fill("10")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    page.get_by_label("Date limite pour atteindre l'objectif").fill(deadline.isoformat())
    page.get_by_label("Date de l'action, ou de son début").fill(thursday.isoformat())
    page.get_by_label("Fin de l'action").fill(end.isoformat())
    page.get_by_label("Chaque semaine, le…").select_option(label="mardi")
    page.get_by_label("Horaire ou rythme").fill("de 9 h à 12 h")
    page.get_by_label("Description").fill("Gants et sacs fournis.")
    page.get_by_label("Environnement").check()
    page.get_by_label("Commune", exact=True).fill("Paris")
    page.get_by_role("button", name="Lancer une promesse").last.click()

    refusal = page.get_by_text("est un jeudi, pas un mardi : choisissez un mardi")
    expect(refusal).to_be_visible()
    refusal.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}-refused.png", full_page=True)
    assert not Promise.objects.exists()

    page.get_by_label("Date de l'action, ou de son début").fill(tuesday.isoformat())
    page.get_by_role("button", name="Lancer une promesse").last.click()

    expect(page.get_by_text("Tous les mardis du ")).to_be_visible()
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}-page.png", full_page=True)
    assert Promise.objects.get().action_weekday == Promise.Weekday.TUESDAY


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_error_pages_can_be_seen_in_development(
    live_server, new_page, browser_errors, viewport, settings
):
    settings.DEBUG = True  # the live server runs in this process, with these settings
    page = new_page(viewport=viewport)
    suffix = "" if viewport is DESKTOP else "-phone"
    for status in (404, 503):
        response = page.goto(f"{live_server.url}/_erreurs/{status}/")
        assert response.status == status
        page.screenshot(
            path=SCREENSHOTS_DIR / f"preview-error-{status}{suffix}.png", full_page=True
        )
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.ok
    assert icon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    page.goto(f"{live_server.url}/static/img/favicon.svg")
    page.screenshot(path=SCREENSHOTS_DIR / f"preview-favicon-svg{suffix}.png")
