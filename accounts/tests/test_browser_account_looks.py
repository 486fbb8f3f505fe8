"""What a newcomer sees of their account: the confirmation email of a pledge, rendered as a mail
program would, on a phone and on a desktop; the sign-up and log-in pages on a phone."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from conftest import DESKTOP, PHONE, SCREENSHOTS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _confirmation_html(promise, mailoutbox) -> str:
    client = Client()
    client.post(f"/promesses/{promise.slug}/promettre/")
    client.post(
        f"/accounts/signup/?next={promise.get_absolute_url()}",
        {"display_name": "Nina", "email": "nina@example.org", "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip
    (mail,) = mailoutbox
    (html,) = [content for content, mimetype in mail.alternatives if mimetype == "text/html"]
    return html


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_it_renders_the_confirmation_email_in_a_browser(
    new_page, browser_errors, promise, mailoutbox, name, viewport
):
    page = new_page(viewport=viewport)
    page.set_content(_confirmation_html(promise, mailoutbox))

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Confirmez votre adresse")
    expect(heading).to_contain_text(promise.sentence)
    button = page.get_by_role("link", name="Confirmer et compter ma promesse")
    expect(button).to_be_visible()
    assert urlsplit(button.get_attribute("href")).path.startswith("/accounts/confirm-email/")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.screenshot(path=SCREENSHOTS_DIR / f"email-confirmation-{name}.png", full_page=True)
    assert browser_errors == []


@pytest.mark.parametrize(
    ("name", "path"), [("signup", "/accounts/signup/"), ("login", "/accounts/login/")]
)
def test_it_shows_the_entrance_pages_on_a_phone(live_server, page, browser_errors, name, path):
    page.goto(live_server.url + path)

    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    expect(page.get_by_text("Courriel")).to_have_count(0)
    if name == "signup":
        expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
        expect(page.get_by_role("button", name="Créer mon compte")).to_be_visible()
        expect(page.get_by_text("Votre mot de passe ne peut pas")).to_have_count(0)
        expect(page.locator("#id_password1_helptext")).to_have_text(
            "Au moins 8 caractères. Évitez les mots de passe courants, les chiffres seuls et "
            "votre nom."
        )
    else:
        expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
        expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.screenshot(path=SCREENSHOTS_DIR / f"{name}-phone.png", full_page=True)
    assert browser_errors == []
