"""Sharing in a real Chromium: a participant copies their link, a newcomer follows it, pledges
and confirms, and the participant sees that they brought someone."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from promises.models import Pledge
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.test_browser_newcomer import PASSWORD_LABEL, confirmation_link
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_brought_by_a_participant_is_credited_to_them(
    live_server, new_page, browser_errors, pledged, participant, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    sharer = logged_in_page(new_page, live_server, participant, PHONE)
    sharer.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sharer.goto(live_server.url + pledged.get_absolute_url())
    panel = sharer.locator("#partager")
    expect(panel.get_by_role("heading")).to_have_text("Plus que 2 personnes : partagez-la")
    expect(panel.get_by_text("Votre lien personnel")).to_be_visible()
    panel.get_by_role("button", name="Copier le lien").click()
    expect(panel.get_by_role("status").first).to_have_text("Copié !")
    link = sharer.evaluate("navigator.clipboard.readText()")
    token = Pledge.objects.get(promise=pledged, user=participant).share_token
    assert link == f"{live_server.url}/p/{pledged.short_code}/{token}/"
    sharer.screenshot(path=SCREENSHOTS_DIR / "share-panel-phone.png", full_page=True)

    # A friend opens it in a browser of their own, pledges, signs up and confirms.
    newcomer = new_page(viewport=PHONE)
    newcomer.goto(link)
    expect(newcomer).to_have_url(live_server.url + pledged.get_absolute_url())
    newcomer.get_by_role("button", name="Je promets", exact=True).click()
    newcomer.get_by_label("Nom affiché").fill("Nadia")
    newcomer.get_by_label("Adresse e-mail").fill("nadia@example.org")
    newcomer.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    newcomer.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    newcomer.get_by_role("button", name="Créer mon compte").click()
    expect(newcomer.get_by_role("heading", name="Vérifiez votre adresse e-mail")).to_be_visible()
    newcomer.goto(confirmation_link(mailoutbox[-1]))
    newcomer.get_by_role("button", name="Confirmer").click()
    expect(newcomer.get_by_text("Plus que 1 personne : partagez-la !")).to_be_visible()

    sharer.reload()
    expect(panel.get_by_text("Vous avez fait venir 1 personne.")).to_be_visible()
    assert browser_errors == []


def test_the_share_panel_on_a_desktop_with_the_widget_preview(
    live_server, new_page, browser_errors, pledged
):
    page = new_page(viewport=DESKTOP)
    page.goto(live_server.url + pledged.get_absolute_url())
    panel = page.locator("#partager")
    # No Web Share API in a desktop Chromium without a share target: the button stays hidden,
    # and the networks' plain links are there; SMS is for phones.
    expect(panel.get_by_role("link", name="WhatsApp")).to_be_visible()
    expect(panel.get_by_role("link", name="SMS")).to_be_hidden()
    panel.get_by_text("Image, affiche, flyers et widget").click()
    preview = page.frame_locator("iframe.widget-preview")
    expect(preview.get_by_role("link", name="Je promets")).to_be_visible()
    panel.screenshot(path=SCREENSHOTS_DIR / "share-panel-desktop.png")
    assert browser_errors == []
