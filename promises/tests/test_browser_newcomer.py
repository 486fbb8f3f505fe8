"""A newcomer's journey and an initiator's first promise, in a real Chromium."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import PASSWORD
from promises.models import Pledge, Promise
from promises.tests.conftest import DESKTOP, SCREENSHOTS_DIR
from promises.tests.factories import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
# "Mot de passe" and its asterisk, not "Mot de passe (confirmation)"; a regular expression
# meets the label's raw text, whitespace included.
PASSWORD_LABEL = re.compile(r"^\s*Mot de passe\W*$")


def confirmation_link(email) -> str:
    """The confirmation link in allauth's email."""
    match = CONFIRMATION_LINK.search(email.body)
    assert match, email.body
    return match.group(0)


def test_a_newcomer_pledges_signs_up_confirms_and_withdraws(
    live_server, page, browser_errors, promise, mailoutbox, settings
):
    settings.SITE_URL = live_server.url  # emails link to the site's public address
    promise_path = promise.get_absolute_url()

    # Arrives from a link shared on a social network.
    page.goto(live_server.url + promise_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Je promets d'aller nettoyer la plage de Biscarosse le samedi 8 juillet, "
        "si 3 personnes le promettent aussi."
    )
    expect(page.locator(".count")).to_have_text("0 / 3")

    page.get_by_role("button", name="Je promets", exact=True).click()

    # Not logged in: the intent is kept and the sign-up page comes back to the promise.
    expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
    url = urlsplit(page.url)
    assert url.path == "/accounts/signup/"
    assert parse_qs(url.query) == {"next": [promise_path]}
    page.get_by_label("Nom affiché").fill("Nadia")
    page.get_by_label("Adresse e-mail").fill("nadia@example.org")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_role("heading", name="Vérifiez votre adresse e-mail")).to_be_visible()
    newcomer = User.objects.get(email="nadia@example.org")
    assert newcomer.display_name == "Nadia"
    pledge = Pledge.objects.get(promise=promise, user=newcomer)
    assert pledge.status == Pledge.Status.PENDING
    promise.refresh_from_db()
    assert promise.pledge_count == 0

    # The link from the email shows a page with a button (nothing is confirmed on GET).
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@example.org"]
    link = confirmation_link(mailoutbox[0])
    assert link.startswith(live_server.url + "/")  # SITE_URL, whatever the request's Host
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()

    # Logged in, back on the promise, counted without a second click.
    expect(page).to_have_url(live_server.url + promise_path)
    expect(page.locator(".count")).to_have_text("1 / 3")
    expect(page.get_by_text("Vous avez promis")).to_be_visible()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE
    promise.refresh_from_db()
    assert promise.pledge_count == 1

    page.get_by_role("link", name="Retirer ma promesse").click()
    expect(page).to_have_url(live_server.url + promise_path + "retirer/")
    page.get_by_role("button", name="Retirer ma promesse").click()

    expect(page).to_have_url(live_server.url + promise_path)
    expect(page.get_by_text("Votre promesse est retirée.")).to_be_visible()
    expect(page.locator(".count")).to_have_text("0 / 3")
    expect(page.get_by_role("button", name="Je promets", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Retirer ma promesse")).to_have_count(0)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.WITHDRAWN
    promise.refresh_from_db()
    assert promise.pledge_count == 0
    assert promise.state == Promise.State.OPEN

    page.screenshot(path=SCREENSHOTS_DIR / "newcomer.png", full_page=True)
    assert browser_errors == []


def test_a_confirmed_user_launches_a_promise(live_server, new_page, browser_errors, participant):
    theme = ThemeFactory(name="Environnement", slug="environnement")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page = new_page(viewport=DESKTOP)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail").fill(participant.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_role("link", name="Lancer une promesse").click()
    expect(page).to_have_url(live_server.url + "/promesses/nouvelle/")

    # The preview follows the typing, with the elision and an "X" until there is an objective.
    preview = page.locator("#sentence-preview")
    expect(preview).to_be_hidden()
    action = page.get_by_label("Je promets de…")
    action.press_sequentially("organiser un pique-nique")
    expect(preview).to_have_text(
        "Je promets d'organiser un pique-nique, si X personnes le promettent aussi."
    )
    action.press_sequentially(" zéro déchet au parc")
    page.get_by_label("si combien de personnes").fill("12")
    expect(preview).to_have_text(
        "Je promets d'organiser un pique-nique zéro déchet au parc, "
        "si 12 personnes le promettent aussi."
    )

    page.get_by_label("Date limite pour atteindre l'objectif").fill(deadline.isoformat())
    page.get_by_label("Description").fill("Chacun apporte un plat sans emballage.")
    page.get_by_label("Environnement").check()
    page.get_by_label("Commune", exact=True).fill("Lyon")
    page.get_by_role("button", name="Lancer une promesse").click()

    created = Promise.objects.get(created_by=participant)
    assert urlsplit(page.url).path == created.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Je promets d'organiser un pique-nique zéro déchet au parc, "
        "si 12 personnes le promettent aussi."
    )
    expect(page.locator(".count")).to_have_text("0 / 12")
    expect(page.get_by_text("Votre promesse est lancée !")).to_be_visible()
    assert created.action == "organiser un pique-nique zéro déchet au parc"
    assert created.objective == 12
    assert timezone.localtime(created.deadline).date() == deadline
    assert list(created.themes.all()) == [theme]
    assert created.city == "Lyon"
    assert created.pledges.get().is_initiator
    assert browser_errors == []
