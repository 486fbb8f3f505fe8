"""In a real Chromium: the published bilan of a promise, its figures and its chart, read by a
visitor; and the initiator's dashboard. Screenshots are left in SCREENSHOTS_DIR."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from promises import services
from promises.tests import scenarios
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECAP_TEXT = (
    "Six samedis au bord du canal, et 210 kg de déchets sortis de l'eau et des berges.\n\n"
    "Merci à toutes et à tous, et à celles et ceux qui nous ont rejoints en cours de route !"
)


@pytest.fixture
def published(initiator):
    story = scenarios.build(initiator)
    # Published on 14 March, before the deadline (20 March): the line ends that day.
    with time_machine.travel(scenarios.paris(14), tick=False):
        services.recap_save(promise=story.promise, author=initiator, text=RECAP_TEXT)
        services.recap_publish(promise=story.promise)
    return story.promise


def logged_in_page(new_page, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    page = new_page(viewport=viewport)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "recap"), (PHONE, "recap-phone")])
def test_a_visitor_reads_the_recap_with_its_chart(
    live_server, new_page, published, browser_errors, viewport, name
):
    page = new_page(viewport=viewport)

    page.goto(live_server.url + published.get_absolute_url())
    page.get_by_role("link", name="Voir le bilan").click()

    page.get_by_role("heading", name="Bilan", exact=True).wait_for()
    assert page.get_by_text("210 kg de déchets").is_visible()
    chart = page.get_by_role("img", name="Les promesses au fil du temps")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 120
    # The chart fits in the page: no horizontal scroll on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}.png", full_page=True)
    assert browser_errors == []


def test_an_initiator_sees_the_dashboard(
    live_server, new_page, published, initiator, browser_errors
):
    page = logged_in_page(new_page, live_server, initiator, DESKTOP)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Mon espace").click()

    page.get_by_role("heading", name="Les promesses que j'ai lancées").wait_for()
    assert page.get_by_text("« Malade »").is_visible()
    assert page.get_by_role("img", name="Les promesses au fil du temps").is_visible()
    page.screenshot(path=SCREENSHOTS_DIR / "dashboard.png", full_page=True)
    assert browser_errors == []
