"""Postgres down, or any unexpected error: French error pages in the site's look, drawn
without the database. A database that does not answer gives a 503 with Retry-After; any
other error a 500; a request Django refuses (a 10 MB field) a 400.

First a real gunicorn process whose database is a port where nothing listens; then the
Django test client, for errors raised on purpose by a view or a middleware.
"""

import http.cookiejar

import pytest
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.test import Client
from django.urls import path

from conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from notifications.tests.fixtures import free_port
from onpromet import views
from onpromet.tests.crawl import Page
from onpromet.tests.test_gate_headers import blocked_markup, header_problems
from onpromet.tests.validator import validate

# Django takes its error handlers from the root URLconf, which this module stands in for.
from onpromet.urls import handler400, handler500
from onpromet.urls import urlpatterns as site_urlpatterns

UNAVAILABLE = "Site momentanément indisponible"
SERVER_ERROR = "Une erreur est survenue"
BAD_REQUEST = "Demande incorrecte"


def assert_error_page(status, headers, text, *, expected_status, sentence) -> None:
    assert status == expected_status
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert sentence in text
    assert '<html lang="fr">' in text
    assert "/static/css/onpromet.css" in text  # the site's look, not Django's bare page
    assert "Server Error" not in text and "Bad Request" not in text
    assert "no-cache" in headers["Cache-Control"]
    page = Page("", status, headers["Content-Type"], text, dict(headers.items()))
    assert header_problems(page) == []  # the CSP and the other security headers too
    assert blocked_markup(page) == []


# --- A real server whose database refuses connections ------------------------------------


def database_down(server_factory, **env):
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/onpromet"  # nothing listens there
    return server_factory(DATABASE_URL=closed, **env).start()


@pytest.fixture
def down(server_factory):
    """The site with nothing listening where its database should be, each request opening its
    own connection (no pool): refused at once."""
    return database_down(server_factory, DATABASE_POOL_SIZE=0)


def assert_unavailable(server, response) -> None:
    assert_error_page(
        response.status, response.headers, response.text, expected_status=503, sentence=UNAVAILABLE
    )
    assert response.headers["Retry-After"] == str(views.RETRY_AFTER_SECONDS)
    assert "could not be rendered" not in server.log()


@pytest.mark.parametrize("page", ["/", "/promesses/", "/promesses/nettoyer-la-plage/"])
def test_it_answers_503_with_retry_after_when_the_database_is_down(down, page):
    assert_unavailable(down, down.visitor().get(page))


def test_it_answers_503_to_a_log_in_when_the_database_is_down(down):
    visitor = down.visitor()
    # The log-in form itself needs no database (an anonymous visitor, no session yet).
    response = visitor.log_in("zoe@example.org", "Promesse-tenue-2027")
    assert_unavailable(down, response)


def test_it_answers_503_to_a_member_whose_session_cannot_be_read(down):
    visitor = down.visitor()
    visitor.cookies.set_cookie(_cookie("sessionid", "s" * 32))  # logged in before the outage
    # The session is read from the database as soon as the view asks who the visitor is.
    assert_unavailable(down, visitor.get("/moi/"))


def test_it_answers_503_once_the_connection_pool_gives_up(server_factory):
    # Production's database settings as DEBUG off makes them: with a psycopg pool per process,
    # a request waits for a connection (the pool's timeout) before the error comes.
    server = database_down(server_factory)
    assert_unavailable(server, server.visitor().get("/"))


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip


# --- The test client: errors raised on purpose --------------------------------------------


def failing_view(request):
    raise RuntimeError("Une erreur de programmation")


def database_gone_view(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def database_gone_while_handling(request):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        raise KeyError("raised while handling it") from None


def too_big_view(request):
    raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")


urlpatterns = [
    path("panne/", failing_view),
    path("trop-gros/", too_big_view),
    path("panne-base/", database_gone_view),
    path("panne-base-indirecte/", database_gone_while_handling),
    *site_urlpatterns,
]


def test_it_wires_the_french_handlers_in_the_urlconf():
    assert (handler400, handler500) == ("onpromet.views.bad_request", "onpromet.views.server_error")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _assert(response, *, status, sentence) -> None:
    assert_error_page(
        response.status_code,
        response.headers,
        response.content.decode(),
        expected_status=status,
        sentence=sentence,
    )


@pytest.mark.urls(__name__)
def test_it_answers_a_french_500_when_a_view_fails(client):
    _assert(client.get("/panne/"), status=500, sentence=SERVER_ERROR)


@pytest.mark.urls(__name__)
def test_it_answers_503_when_a_view_meets_a_database_error(client):
    response = client.get("/panne-base/")
    _assert(response, status=503, sentence=UNAVAILABLE)
    assert response["Retry-After"] == "60"


@pytest.mark.urls(__name__)
def test_it_answers_503_when_the_database_error_is_not_the_last_one(client):
    # The error that reaches Django hides the database error (raise … from None) but
    # Python keeps it as its context.
    _assert(client.get("/panne-base-indirecte/"), status=503, sentence=UNAVAILABLE)


class SessionFromADeadDatabase:
    """A middleware that needs the database (as sessions and the logged-in user do)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_it_answers_503_when_a_middleware_meets_a_database_error(client, settings):
    # Just after the session middleware, inside the CSP and security middleware: the page
    # still gets their headers (checked by _assert).
    index = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: index + 1],
        f"{__name__}.SessionFromADeadDatabase",
        *settings.MIDDLEWARE[index + 1 :],
    ]
    response = client.get("/")
    _assert(response, status=503, sentence=UNAVAILABLE)
    assert response["Retry-After"] == "60"


def test_it_answers_a_french_400_to_a_10_mb_field(client):
    response = client.post("/accounts/login/", {"login": "x" * 10_000_000, "password": "p"})
    _assert(response, status=400, sentence=BAD_REQUEST)


@pytest.mark.urls(__name__)
def test_it_still_answers_in_french_when_the_error_page_cannot_be_drawn(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'css/onpromet.css'")

    monkeypatch.setattr(views, "render_to_string", broken)
    response = client.get("/panne/")

    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.urls(__name__)
def test_it_serves_valid_html_error_pages(client):
    pages = {
        "500": client.get("/panne/").content.decode(),
        "503": client.get("/panne-base/").content.decode(),
        "400": client.post("/accounts/login/", {"login": "x" * 10_000_000}).content.decode(),
    }
    assert validate(pages) == []


@pytest.mark.browser
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_draws_the_error_pages_in_the_sites_look(
    live_server, new_page, browser_errors, viewport
):
    page = new_page(viewport=viewport)
    pages = {
        400: ("/trop-gros/", BAD_REQUEST),
        500: ("/panne/", SERVER_ERROR),
        503: ("/panne-base/", UNAVAILABLE),
    }
    for status, (url, heading) in pages.items():
        browser_errors.clear()
        page.goto(live_server.url + url)
        assert page.locator("h1").inner_text() == heading
        # Bootstrap and the site's stylesheet did load (the brand takes the site's green).
        color = page.locator(".navbar-brand").evaluate("e => getComputedStyle(e).color")
        assert color == "rgb(11, 110, 79)"
        size = "phone" if viewport == PHONE else "desktop"
        page.screenshot(path=SCREENSHOTS_DIR / f"error-{status}-{size}.png", full_page=True)
        # Chromium reports the page's own status as a console error; nothing else may fail
        # (a stylesheet missing, something the CSP blocks).
        assert len(browser_errors) == 1, browser_errors
        assert browser_errors[0].startswith(
            f"console: Failed to load resource: the server responded with a status of {status} "
        )
