"""Prévenez-moi and digests in a real Chromium: a visitor saves a search, finds the alert in the
email preferences, chooses a daily digest; the digest that comes is readable in a mail
client's window (rendered here from the email's own HTML)."""

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from notifications.tasks import digests as digests_task
from promises.models import Alert
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_a_visitor_saves_a_search_and_gets_its_new_promises_in_a_digest(
    live_server, new_page, browser_errors, participant, initiator, smtp, settings
):
    settings.SITE_URL = live_server.url
    sea = ThemeFactory(name="Mer et littoral", slug="mer")
    page = logged_in_page(new_page, live_server, participant, PHONE)
    page.goto(live_server.url + "/promesses/?q=plage&theme=mer")
    page.get_by_role("button", name="Prévenez-moi").click()
    expect(page.get_by_text("C'est noté")).to_be_visible()
    assert Alert.objects.get(user=participant).query == "q=plage&theme=mer"

    page.goto(live_server.url + "/notifications/preferences/")
    expect(page.get_by_role("heading", name="Mes alertes")).to_be_visible()
    expect(page.get_by_role("link", name="« plage », Mer et littoral")).to_be_visible()
    page.get_by_label("Alertes : les nouvelles promesses de mes recherches").select_option(
        label="Un résumé par jour"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences d'e-mails sont enregistrées.")).to_be_visible()
    page.screenshot(path=SCREENSHOTS_DIR / "preferences-phone.png", full_page=True)
    desktop = logged_in_page(new_page, live_server, participant, DESKTOP)
    desktop.goto(live_server.url + "/notifications/preferences/")
    desktop.screenshot(path=SCREENSHOTS_DIR / "preferences-desktop.png", full_page=True)

    # A matching promise is published; the next morning's digest brings it.
    tomorrow = datetime.datetime.now(PARIS) + datetime.timedelta(days=1)
    promise = PromiseFactory(
        created_by=initiator, objective=20, action="nettoyer la plage du Moulleau"
    )
    promise.themes.add(sea)
    with time_machine.travel(tomorrow.replace(hour=7), tick=False):
        digests_task()
    [message] = smtp.messages
    html = message.get_body(("html",)).get_content()
    mail = new_page(viewport=PHONE)
    mail.set_content(html)
    expect(mail.get_by_role("link", name=promise.sentence)).to_be_visible()
    mail.screenshot(path=SCREENSHOTS_DIR / "digest-email-phone.png", full_page=True)
    assert browser_errors == []
