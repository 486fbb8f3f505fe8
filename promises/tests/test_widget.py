"""The embeddable widget: the sentence, the live progress and a "Je promets" link that opens the
promise on OnPromet; the only page allowed in a frame; no cookie; the same for everyone, so
cached publicly for a minute; a hidden promise is a small 404. In a real Chromium, inside
another site's page (screenshots at 400 and 320 px: SCREENSHOTS_DIR/widget-*.png)."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Promise
from promises.tests.conftest import SCREENSHOTS_DIR
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

SITE = "https://onpromet.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _widget(client, promise):
    return client.get(reverse("promises:widget", args=[promise.slug]))


def _link(response) -> str:
    """The one "Je promets" (or "Voir la promesse") link: its opening tag."""
    body = response.content.decode()
    start = body.index('<a class="btn')
    return html.unescape(body[start : body.index(">", start) + 1])


def test_it_shows_the_sentence_the_progress_and_the_state(client, pledged):
    response = _widget(client, pledged)
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Je promets d'aller nettoyer la plage de Biscarosse le samedi 8 juillet, "
        "si 3 personnes le promettent aussi." in text
    )
    assert "1 / 3" in text and "33 %" in text
    assert 'aria-valuenow="1"' in text and 'aria-valuemax="3"' in text
    assert "En cours" in text
    assert "Biscarosse" in text


def test_its_je_promets_link_opens_the_promise_on_onpromet_with_the_widget_source(client, promise):
    link = _link(_widget(client, promise))
    assert f'href="{SITE}/promesses/{promise.slug}/?source=widget"' in link
    assert 'target="_blank"' in link and 'rel="noopener"' in link
    assert ">Je promets</a>" in page_text(_widget(client, promise))


def test_it_follows_the_count_at_once(client, promise):
    assert "0 / 3" in page_text(_widget(client, promise))
    services.pledge_create(promise=promise, user=UserFactory())
    assert "1 / 3" in page_text(_widget(client, promise))


def test_a_failed_promise_is_shown_as_what_it_is(client, promise):
    Promise.objects.filter(pk=promise.pk).update(state=Promise.State.FAILED)
    text = page_text(_widget(client, promise))
    assert "Objectif non atteint" in text
    assert ">Voir la promesse</a>" in text
    assert ">Je promets</a>" not in text


def test_it_works_without_javascript_and_stands_alone(client, promise):
    body = _widget(client, promise).content.decode()
    assert "<script" not in body
    assert "style=" not in body
    # Not the site's layout: no navigation, no log-in links, no form.
    assert "Se connecter" not in body and "<nav" not in body and "<form" not in body
    assert "csrfmiddlewaretoken" not in body


# --- Headers --------------------------------------------------------------------------------


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";") if part.strip())


def test_it_is_the_only_page_allowed_in_a_frame(client, promise):
    widget = _widget(client, promise)
    assert _directives(widget)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in widget
    # The rest of the policy is the site's.
    assert _directives(widget)["script-src"] == "'self'"

    page = client.get(promise.get_absolute_url())
    assert _directives(page)["frame-ancestors"] == "'none'"
    assert page["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("logged_in", [False, True])
def test_it_sets_no_cookie_and_does_not_vary_on_cookies(client, promise, participant, logged_in):
    if logged_in:
        client.force_login(participant)  # the visitor's session cookie comes along
        client.get(promise.get_absolute_url())  # and a CSRF cookie, maybe
    response = _widget(client, promise)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()


def test_it_is_cached_publicly_for_a_minute(client, promise):
    response = _widget(client, promise)
    assert response["Cache-Control"] == "public, max-age=60"


def test_it_answers_only_reading(client, promise):
    url = reverse("promises:widget", args=[promise.slug])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("pledges", [1, 25])
def test_its_queries_do_not_grow_with_the_pledges(
    client, initiator, django_assert_max_num_queries, pledges
):
    promise = PromiseFactory(created_by=initiator, objective=50)
    for user in UserFactory.create_batch(pledges):
        services.pledge_create(promise=promise, user=user)
    with django_assert_max_num_queries(1):
        response = _widget(client, promise)
    assert f"{pledges} / 50" in page_text(response)


# --- A hidden promise -----------------------------------------------------------------------


def test_a_hidden_promise_is_a_small_404_that_says_nothing_of_it(
    client, promise, initiator, moderator
):
    services.promise_set_hidden(promise=promise, hidden=True)
    unknown = client.get(reverse("promises:widget", args=["n-existe-pas-123456"]))
    # The same for everyone, its initiator and the moderators included: the widget never
    # reads who is looking.
    for user in (None, initiator, moderator):
        if user:
            client.force_login(user)
        response = _widget(client, promise)
        assert response.status_code == 404
        assert promise.action not in response.content.decode()
        assert "masquée" not in page_text(response)
        assert page_text(response) == page_text(unknown)
        # Still allowed in the frame it was embedded in, and still no cookie.
        assert _directives(response)["frame-ancestors"] == "*"
        assert not response.cookies


# --- In a real browser, inside another site's page -----------------------------------------


@pytest.fixture
def embedding_site():
    """Another site, on an origin of its own (another port), whose page embeds the address it
    is given in an <iframe>: `embedding_site(src)` returns that page's address. A real server:
    Chromium keeps a page it did not fetch from an address (Playwright's route) out of the
    local network, so it would refuse the frame for that reason instead."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 204)  # 204: the browser's /favicon.ico
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def page_embedding(src: str) -> str:
        pages["/"] = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Les amis de la plage</title>"
            "<style>body{font-family:Georgia,serif;margin:12px;background:#f3efe6}"
            "iframe{display:block;width:100%;height:260px;border:0}</style></head><body>"
            "<h1>Les amis de la plage</h1><p>Notre prochaine action, rejoignez-nous :</p>"
            f'<iframe id="cadre" src="{src}" title="Promesse sur OnPromet"></iframe>'
            "<p>Merci à toutes et à tous.</p></body></html>"
        ).encode()
        return f"http://127.0.0.1:{server.server_port}/"

    yield page_embedding
    server.shutdown()
    thread.join()


LONG_ACTION = (
    "réparer les vélos du quartier avec l'atelier « Roue libre » : chaque samedi matin, "
    "œuvrer à rendre la ville plus douce ; accueillir les enfants, prêter nos outils et "
    "apprendre à chacun à entretenir sa"
)  # 200 characters, the longest the form takes


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("width", "action"),
    [(400, None), (320, None), (320, LONG_ACTION)],
    ids=["400", "320", "320-long"],
)
def test_it_shows_inside_another_sites_page(
    live_server, new_page, embedding_site, initiator, browser_errors, width, action
):
    promise = PromiseFactory(
        created_by=initiator, objective=50, **({"action": action} if action else {})
    )
    for user in UserFactory.create_batch(12):
        services.pledge_create(promise=promise, user=user)
    page = new_page(viewport={"width": width, "height": 480})

    page.goto(embedding_site(live_server.url + reverse("promises:widget", args=[promise.slug])))

    frame = page.frame_locator("#cadre")
    frame.get_by_text("12 / 50").wait_for()
    link = frame.get_by_role("link", name="Je promets")
    assert link.is_visible()
    assert link.get_attribute("target") == "_blank"
    # The whole widget shows in the frame the promise page suggests (260 px high), the button
    # included, whatever the sentence's length.
    outer = page.locator("#cadre").bounding_box()
    for part in (frame.locator("main"), link):
        box = part.bounding_box()
        assert box["x"] + box["width"] <= outer["x"] + outer["width"]
        assert box["y"] + box["height"] <= outer["y"] + outer["height"]
    name = f"widget-{width}{'-long' if action else ''}.png"
    page.screenshot(path=SCREENSHOTS_DIR / name, full_page=True)
    assert browser_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_promise_page_stays_out_of_other_sites_frames(
    live_server, new_page, embedding_site, promise
):
    page = new_page(viewport={"width": 400, "height": 480})

    page.goto(embedding_site(live_server.url + promise.get_absolute_url()))

    [frame] = page.main_frame.child_frames
    # Chromium refuses to show it, and puts its error page in the frame instead (once the
    # frame's response has come: poll, as no event says so across origins).
    for _ in range(50):
        if frame.url.startswith("chrome-error://"):
            break
        page.wait_for_timeout(100)
    assert frame.url.startswith("chrome-error://")
    assert page.frame_locator("#cadre").get_by_text("Je promets d'aller").count() == 0
