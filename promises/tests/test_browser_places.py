"""Places in a real Chromium: the commune field suggests communes as one types (htmx fills a
datalist), and "Me localiser" lists the promises near the browser's position."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from promises import places
from promises.models import Promise
from promises.tests.conftest import DESKTOP, PHONE
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.places_fixtures import commune
from promises.tests.test_browser_recap import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def communes(transactional_db):
    # Loaded in each test: a transactional test empties every table when it ends.
    call_command("load_communes", stdout=io.StringIO())


def test_the_commune_field_suggests_communes_as_one_types(
    live_server, new_page, browser_errors, initiator, communes
):
    ThemeFactory(name="Environnement", slug="environnement")
    page = logged_in_page(new_page, live_server, initiator, DESKTOP)
    page.goto(live_server.url + "/promesses/nouvelle/")

    page.get_by_label("Je promets de…").fill("nettoyer la plage centrale")
    page.get_by_label("… si combien de personnes le promettent aussi ?").fill("10")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    page.get_by_label("Date limite pour atteindre l'objectif").fill(deadline.isoformat())
    page.get_by_label("Description").fill("Rendez-vous au poste de secours.")
    page.get_by_label("Environnement").check()
    page.get_by_label("Commune").press_sequentially("biscar", delay=50)
    suggestion = page.locator('#commune-suggestions option[value="Biscarrosse (40600)"]')
    expect(suggestion).to_have_count(1)
    page.get_by_label("Commune").fill("Biscarrosse (40600)")
    page.get_by_label("Adresse ou point de rendez-vous").fill("Plage Centrale")
    page.get_by_role("button", name="Lancer une promesse").click()

    expect(page.get_by_text("Votre promesse est lancée")).to_be_visible()
    promise = Promise.objects.get()
    assert (promise.city, promise.commune.insee) == ("Biscarrosse", "40046")
    assert browser_errors == []


def test_me_localiser_lists_the_promises_near_the_browsers_position(
    live_server, new_page, browser_errors, initiator, communes
):
    here, far = commune("40046"), commune("75056")
    PromiseFactory(created_by=initiator, action="nettoyer la plage", city=here.name, commune=here)
    PromiseFactory(created_by=initiator, action="planter un arbre", city=far.name, commune=far)
    PromiseFactory(created_by=initiator, action="écrire aux élus", city=places.REMOTE_CITY)
    page = new_page(viewport=PHONE)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 44.3912, "longitude": -1.1634})
    page.goto(live_server.url + "/promesses/")

    page.get_by_label("Rayon").select_option("10")
    page.get_by_role("button", name="Me localiser").click()

    expect(page.get_by_text("de votre position (elle n'est pas enregistrée)")).to_be_visible()
    assert "lat=44.39&lon=-1.16" in page.url  # rounded to about a kilometre
    expect(page.get_by_text("nettoyer la plage")).to_be_visible()
    expect(page.get_by_text("planter un arbre")).to_have_count(0)
    expect(page.get_by_text("écrire aux élus")).to_have_count(0)
    assert browser_errors == []
