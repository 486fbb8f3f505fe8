"""An organisation's life in a real Chromium: its admin creates it and invites two people by
email; they join from the link; the animateur launches a promise for members only; the member
pledges; an outsider gets a 404 for it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from organisations.models import Membership, Organisation
from promises.models import Pledge, Promise
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.factories import ThemeFactory
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/organisations/invitation/[\w-]+/")


def invitation_link(mailoutbox, address: str) -> str:
    [message] = [m for m in mailoutbox if address in m.to]
    return LINK.search(message.body).group(0)


def test_an_organisation_mobilises_its_members_and_keeps_its_promise_inside(
    live_server, new_page, browser_errors, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    ThemeFactory(name="Déchets", slug="dechets")
    alice = UserFactory(display_name="Alice", email="alice@acme.example")
    anna = UserFactory(display_name="Anna", email="anna@acme.example")
    max_ = UserFactory(display_name="Max", email="max@acme.example")
    oscar = UserFactory(display_name="Oscar", email="oscar@ailleurs.example")

    # The admin creates it, on a computer.
    admin = logged_in_page(new_page, live_server, alice, DESKTOP)
    admin.goto(live_server.url + "/organisations/nouvelle/")
    admin.get_by_label("Nom de l'organisation").fill("ACME")
    admin.get_by_role("radio", name="entreprise").check()
    admin.get_by_label("Présentation (facultative)").fill("Nos équipes agissent ensemble.")
    admin.get_by_role("button", name="Créer l'organisation").click()
    expect(admin.get_by_role("heading", name="ACME")).to_be_visible()
    acme = Organisation.objects.get(name="ACME")
    admin.screenshot(path=SCREENSHOTS_DIR / "organisation-desktop.png", full_page=True)

    # It invites an animateur and a member.
    admin.goto(live_server.url + f"/organisations/{acme.slug}/membres/")
    for address, role in ((anna.email, "animateur"), (max_.email, "membre")):
        admin.get_by_label("Adresse e-mail de la personne à inviter").fill(address)
        admin.get_by_label("Son rôle").select_option(role)
        admin.get_by_role("button", name="Envoyer l'invitation").click()
        expect(admin.get_by_text(address).first).to_be_visible()
    admin.screenshot(path=SCREENSHOTS_DIR / "organisation-members-desktop.png", full_page=True)

    # Each joins from the link in their email, on a phone.
    pages = {}
    for person in (anna, max_):
        page = logged_in_page(new_page, live_server, person, PHONE)
        page.goto(invitation_link(mailoutbox, person.email))
        page.get_by_role("button", name="Rejoindre ACME").click()
        expect(page.get_by_role("heading", name="ACME")).to_be_visible()
        pages[person.display_name] = page
    assert dict(
        Membership.objects.filter(organisation=acme).values_list("user__display_name", "role")
    ) == {
        "Alice": "admin",
        "Anna": "animateur",
        "Max": "membre",
    }

    # The animateur launches a promise for the members only.
    anna_page = pages["Anna"]
    anna_page.goto(live_server.url + "/promesses/nouvelle/")
    anna_page.get_by_label("Je promets de…").fill("trier les déchets de la cantine")
    anna_page.get_by_label("… si combien de personnes le promettent aussi ?").fill("5")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    anna_page.get_by_label("Date limite pour atteindre l'objectif").fill(deadline.isoformat())
    anna_page.get_by_label("Description").fill("Une heure, gants fournis.")
    anna_page.get_by_label("Déchets").check()
    anna_page.get_by_label("Commune").fill("Bordeaux")
    anna_page.get_by_label("Pour une organisation").select_option(label="ACME")
    anna_page.get_by_label(re.compile("Réservée aux membres")).check()
    anna_page.get_by_role("button", name="Lancer une promesse").click()
    expect(anna_page.get_by_text("Votre promesse est lancée")).to_be_visible()
    promise = Promise.objects.get(action="trier les déchets de la cantine")
    assert (promise.organisation, promise.visibility) == (acme, Promise.Visibility.MEMBERS)
    url = live_server.url + promise.get_absolute_url()

    # The member pledges.
    max_page = pages["Max"]
    max_page.goto(url)
    expect(max_page.get_by_text("ACME").first).to_be_visible()
    max_page.get_by_role("button", name="Je promets", exact=True).click()
    expect(max_page.get_by_text("Votre promesse est comptée")).to_be_visible()
    assert Pledge.objects.get(promise=promise, user=max_).status == Pledge.Status.ACTIVE
    max_page.screenshot(path=SCREENSHOTS_DIR / "organisation-promise-phone.png", full_page=True)

    assert browser_errors == []

    # An outsider, and an anonymous visitor, get a 404.
    outsider = logged_in_page(new_page, live_server, oscar, PHONE)
    assert outsider.goto(url).status == 404
    expect(outsider.get_by_role("heading", name="Page introuvable")).to_be_visible()
    assert new_page(viewport=PHONE).goto(url).status == 404
