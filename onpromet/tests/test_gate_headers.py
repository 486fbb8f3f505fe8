"""Gate 2: security headers on every response the five kinds of visitor get, admin and error
pages included; no markup that the Content-Security-Policy would block; and, with the settings
production uses, HSTS and cookies that are secure, HttpOnly and SameSite."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.tests.factories import PASSWORD
from onpromet.tests.conftest import VISITORS
from onpromet.tests.crawl import Page, crawl, pattern_urls
from onpromet.tests.test_gate_crawl import SECRET_SAMPLES
from onpromet.tests.test_settings import PRODUCTION, manage

WIDGET = re.compile(r"^/promesses/[^/]+/widget/$")
# The list of promises and the action finder are the pages that may ask for the position ("Me
# localiser", static/js/near.js), from themselves only.
NEAR_ME = re.compile(r"^/(promesses|agir)/(\?.*)?$")

# Script types that are data, not code: the browser never runs them, so CSP does not apply.
DATA_SCRIPTS = ("application/json", "application/ld+json")


def header(page: Page, name: str) -> str | None:
    return next((v for k, v in page.headers.items() if k.lower() == name.lower()), None)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        if words := part.split():
            parsed[words[0].lower()] = words[1:]
    return parsed


def header_problems(page: Page) -> list[str]:
    policy = header(page, "Content-Security-Policy")
    if policy is None:
        return ["no Content-Security-Policy"]
    csp = directives(policy)
    problems = []
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("CSP: neither script-src nor default-src")
    elif "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"CSP: unsafe script-src {scripts}")
    for name in ("object-src", "base-uri", "frame-ancestors"):
        # The widget is the one page made to be framed by other sites (promises/views/widget.py).
        expected = ["*"] if name == "frame-ancestors" and WIDGET.search(page.url) else ["'none'"]
        if csp.get(name) != expected:
            problems.append(f"CSP: {name} is {csp.get(name)}, not {expected}")
    if header(page, "X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not header(page, "Referrer-Policy"):
        problems.append("no Referrer-Policy")
    permissions = header(page, "Permissions-Policy") or ""
    for feature in ("camera", "microphone", "geolocation", "payment"):
        if feature == "geolocation" and NEAR_ME.search(page.url):
            if "geolocation=(self)" not in permissions:
                problems.append("Permissions-Policy does not limit geolocation to the site")
        elif f"{feature}=()" not in permissions:
            problems.append(f"Permissions-Policy does not turn off {feature}")
    return problems


class _Blocked(HTMLParser):
    """What a policy without 'unsafe-inline' blocks: inline scripts and <style> elements
    without the nonce, and style="" attributes (no nonce can allow those)."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line = self.getpos()[0]
        if "style" in attrs:
            self.found.append(f"line {line}: style attribute on <{tag}>")
        if any(name.startswith("on") for name in attrs):
            self.found.append(f"line {line}: event handler attribute on <{tag}>")
        if any(name.startswith(("hx-on", "data-hx-on")) for name in attrs):
            # htmx runs these with Function(), which needs 'unsafe-eval'.
            self.found.append(f"line {line}: hx-on attribute on <{tag}>")
        if self.nonce and attrs.get("nonce") == self.nonce:
            return
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in DATA_SCRIPTS:
            self.found.append(f"line {line}: inline <script> without the nonce")
        elif tag == "style":
            self.found.append(f"line {line}: <style> element without the nonce")
        if (attrs.get("href") or "").lower().startswith("javascript:"):
            self.found.append(f"line {line}: javascript: link")


def blocked_markup(page: Page) -> list[str]:
    policy = directives(header(page, "Content-Security-Policy") or "")
    nonces = [
        word[len("'nonce-") : -1]
        for word in policy.get("script-src", []) + policy.get("style-src", [])
        if word.startswith("'nonce-")
    ]
    parser = _Blocked(nonces[0] if nonces else None)
    parser.feed(page.body)
    return parser.found


def error_pages(client: Client) -> dict[str, Page]:
    """A 404 and a 403 (a form posted without its CSRF token) that the crawl may not meet."""
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    responses = {
        "/cette-page-n-existe-pas/": client.get("/cette-page-n-existe-pas/"),
        "POST /accounts/login/ (no CSRF token)": strict.post("/accounts/login/"),
    }
    return {
        url: Page(url, r.status_code, r.get("Content-Type", ""), r.content.decode(), r.headers)
        for url, r in responses.items()
    }


@pytest.mark.parametrize("visitor", VISITORS)
def test_it_sends_the_security_headers_on_every_response(site, visitor_client, visitor):
    client = visitor_client(visitor)
    extra, _ = pattern_urls({**site, **SECRET_SAMPLES})
    pages = {**crawl(client, extra=extra), **error_pages(client)}

    assert {403, 404} <= {page.status for page in pages.values()}
    assert 405 in {page.status for page in pages.values()}, "no GET on a POST-only view?"
    problems = {url: found for url, page in pages.items() if (found := header_problems(page))}
    assert problems == {}


@pytest.mark.parametrize("visitor", VISITORS)
def test_it_serves_no_markup_that_the_csp_blocks(site, visitor_client, visitor):
    client = visitor_client(visitor)
    extra, _ = pattern_urls({**site, **SECRET_SAMPLES})
    pages = {**crawl(client, extra=extra), **error_pages(client)}

    problems = {
        url: found
        for url, page in pages.items()
        if "text/html" in page.content_type and (found := blocked_markup(page))
    }
    assert problems == {}


# --- Production settings ------------------------------------------------------------------

SECURITY_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


@pytest.fixture
def production(settings):
    """The security settings that production's environment gives, read from a process
    started with that environment, applied to this test's settings."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS}}}))"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    for name, value in values.items():
        setattr(settings, name, value)
    return values


def cookie(response, name: str) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": morsel["secure"],
        "httponly": morsel["httponly"],
        "samesite": morsel["samesite"],
    }


def test_it_redirects_to_https_and_sends_hsts_in_production(production, client, db):
    assert production["SECURE_HSTS_SECONDS"] >= 31536000

    insecure = client.get("/")
    secure = client.get("/", secure=True)

    assert insecure.status_code == 301
    assert insecure["Location"] == "https://testserver/"
    hsts = re.fullmatch(
        r"max-age=(\d+); includeSubDomains; preload", secure["Strict-Transport-Security"]
    )
    assert hsts
    assert int(hsts[1]) >= 31536000


def test_it_sets_secure_cookies_in_production(production, client, participant):
    login = client.get("/accounts/login/", secure=True)
    logged_in = client.post(
        "/accounts/login/", {"login": participant.email, "password": PASSWORD}, secure=True
    )

    assert login.status_code == 200
    assert logged_in.status_code == 302
    csrf = cookie(login, django_settings.CSRF_COOKIE_NAME)
    assert csrf["secure"] is True
    assert csrf["samesite"] in ("Lax", "Strict")
    assert csrf["httponly"] is True
    session = cookie(logged_in, django_settings.SESSION_COOKIE_NAME)
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] in ("Lax", "Strict")
