"""Gate 3: axe-core, run in Chromium on every page each kind of visitor reaches, finds no
violation of impact serious or critical.

The pages are found by the test-client crawl (fast), then visited in a browser that is logged
in as the same visitor, so that axe sees the page with its real CSS, under its real CSP."""

from pathlib import Path

import pytest
from django.conf import settings

from conftest import DESKTOP
from onpromet.tests.conftest import VISITORS
from onpromet.tests.crawl import crawl, pattern_urls, route_of
from onpromet.tests.test_gate_crawl import SECRET_SAMPLES

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def html_pages(client, samples) -> list[str]:
    """The crawled HTML pages; of the admin's, one per URL pattern: the admin draws all pages
    of a pattern with the same template, and a browser page costs half a second."""
    extra, _ = pattern_urls(samples)
    pages = crawl(client, extra=extra)
    urls, admin_routes = [], set()
    for url, page in pages.items():
        if page.status != 200 or not page.content_type.startswith("text/html"):
            continue
        if url.startswith("/admin/"):
            if route_of(url) in admin_routes:
                continue
            admin_routes.add(route_of(url))
        urls.append(url)
    return urls


def report(violations: list[tuple[str, dict]]) -> str:
    lines = []
    for url, violation in violations:
        lines.append(f"{url}  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("visitor", VISITORS)
def test_it_finds_no_serious_accessibility_violation(
    live_server, browser, site, visitor_client, visitor
):
    assert AXE.exists(), "axe-core is missing: run `npm ci`"
    client = visitor_client(visitor)
    urls = html_pages(client, {**site, **SECRET_SAMPLES})
    assert len(urls) > 10

    # Axe is added by the browser itself (not a <script> of the page), so the page keeps its
    # real Content-Security-Policy: what it forbids stays forbidden while axe looks.
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
    context.add_init_script(path=AXE)
    if visitor != "anonymous":
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    page = context.new_page()
    violations = []
    try:
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, f"{url} answers {response.status} in the browser"
            results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            # No exception, admin included: its inaccessible widgets (select2, SelectFilter2,
            # split date/time) are replaced by plain ones in our ModelAdmins.
            violations += [
                (url, violation)
                for violation in results["violations"]
                if violation["impact"] in BLOCKING
            ]
    finally:
        context.close()

    assert not violations, f"axe, as {visitor}:\n{report(violations)}"
