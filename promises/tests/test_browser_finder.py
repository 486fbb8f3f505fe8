"""The action finder on a phone, in a real Chromium: a visitor answers the questions one at a
time, gets the promises near a commune, opens one and pledges."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from promises.models import Pledge, Promise
from promises.tests.conftest import PHONE, SCREENSHOTS_DIR
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.places_fixtures import commune
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_an_action_near_a_commune_and_pledges(
    live_server, new_page, browser_errors, initiator, participant
):
    call_command("load_communes", stdout=io.StringIO())
    nature = ThemeFactory(name="Environnement", slug="environnement", icon="🌱")
    ThemeFactory(name="Solidarité", slug="solidarite")
    beach = PromiseFactory(
        created_by=initiator, objective=5, action="nettoyer la plage centrale", themes=[nature]
    )
    Promise.objects.filter(pk=beach.pk).update(commune=commune("40046"), city="Biscarrosse")
    far = PromiseFactory(created_by=initiator, action="planter des arbres", themes=[nature])
    Promise.objects.filter(pk=far.pk).update(commune=commune("67482"), city="Strasbourg")

    page = logged_in_page(new_page, live_server, participant, PHONE)
    page.goto(live_server.url + "/agir/")
    # One question at a time on a phone.
    expect(page.get_by_text("1. Ce qui vous tient à cœur ?")).to_be_visible()
    expect(page.get_by_text("2. Le temps que vous avez ?")).to_be_hidden()
    page.get_by_label("Environnement").check()
    page.get_by_role("button", name="Suivant").first.click()
    expect(page.get_by_text("2. Le temps que vous avez ?")).to_be_visible()
    page.get_by_label("une demi-journée").check()
    page.locator("[data-step]:not([hidden])").get_by_role("button", name="Suivant").click()
    page.get_by_label("sur place").check()
    page.locator("[data-step]:not([hidden])").get_by_role("button", name="Suivant").click()
    page.get_by_label("peu importe").check()
    page.locator("[data-step]:not([hidden])").get_by_role("button", name="Suivant").click()
    page.get_by_label("Près de").fill("40600")
    page.screenshot(path=SCREENSHOTS_DIR / "finder-phone-question.png", full_page=True)
    page.get_by_role("button", name="Voir les promesses").click()

    expect(page.get_by_role("heading", name="1 promesse pour vous")).to_be_visible()
    results = page.locator(".finder-reasons")
    expect(results).to_contain_text("Plus que 5 personnes")
    expect(results).to_contain_text("à moins d'1\u00a0km")
    expect(page.get_by_text("planter des arbres")).to_have_count(0)  # Strasbourg is far
    assert "theme=environnement" in page.url and "pres=40600" in page.url  # to share
    page.screenshot(path=SCREENSHOTS_DIR / "finder-phone-results.png", full_page=True)

    page.get_by_role("link", name="nettoyer la plage centrale").click()
    page.get_by_role("button", name="Je promets", exact=True).click()
    expect(page.get_by_text("Votre promesse est comptée.")).to_be_visible()
    assert Pledge.objects.get(promise=beach, user=participant).is_active
    assert browser_errors == []
