"""In a real Chromium, on the demo data (`manage.py seed_demo`): the home page on a desktop and
on a phone, and a demo promise with its news, discussion and photos. Screenshots are saved in
SCREENSHOTS_DIR: home-desktop.png, home-phone.png, demo-promise-phone.png."""

import io

import pytest
from django.core.management import call_command

from conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.models import Promise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The phone home page was 3 849 px tall when both sections showed six cards, the same ones.
PHONE_HOME_MAX_HEIGHT = 3200


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the command refuses to run without it
    call_command("seed_demo", stdout=io.StringIO())


def _load_every_image(page) -> None:
    """Photos load lazily: a full-page screenshot would show blank frames below the fold."""
    page.locator("img").evaluate_all("images => images.forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    )


def _cards(page) -> list[str]:
    return page.locator(".promise-card a.stretched-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_it_shows_each_demo_promise_once_on_the_home_page(
    live_server, new_page, demo, browser_errors
):
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport)
        page.goto(live_server.url + "/")
        close = page.locator("section[aria-labelledby=titre-proches] .promise-card")
        newest = page.locator("section[aria-labelledby=titre-recentes] .promise-card")
        assert close.count() == newest.count() == 3
        cards = _cards(page)
        assert len(cards) == len(set(cards)) == 6
        # Only promises at least half-way there are "bientôt à l'objectif".
        shares = close.locator(".progress").evaluate_all(
            "bars => bars.map(b => b.ariaValueNow / b.ariaValueMax)"
        )
        assert all(0.5 <= share < 1 for share in shares), shares
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"home page, {name}: {height} px")
        if viewport == PHONE:
            assert height < PHONE_HOME_MAX_HEIGHT
        page.screenshot(path=SCREENSHOTS_DIR / f"home-{name}.png", full_page=True)
    assert browser_errors == []


def test_it_shows_a_demo_promise_with_its_discussion_and_photos(
    live_server, page, demo, browser_errors
):
    promise = Promise.objects.get(city="Biscarosse")

    page.goto(live_server.url + promise.get_absolute_url())

    discussion = page.locator("#discussion")
    assert discussion.locator("article").count() >= 4
    assert "Pas encore de message" not in discussion.inner_text()
    assert discussion.get_by_text("Épinglé").is_visible()
    assert discussion.get_by_text("Je prends une place, merci Paula !").is_visible()
    assert page.locator("#nouvelles article").count() == 2
    _load_every_image(page)
    photos = page.locator("#discussion img, #nouvelles img")
    assert photos.count() >= 3
    page.screenshot(path=SCREENSHOTS_DIR / "demo-promise-phone.png", full_page=True)

    page.get_by_role("link", name="Voir les photos").click()
    _load_every_image(page)
    assert page.locator("main img").count() >= 2
    assert browser_errors == []
