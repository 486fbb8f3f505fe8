"""Gate 1: every page reachable by each kind of visitor answers without a server error."""

import pytest

from onpromet.tests.conftest import VISITORS
from onpromet.tests.crawl import crawl, pattern_urls

# Patterns whose parameters are secrets sent by email (allauth's keys): their pages are
# reached in the account tests with real keys; here they are tried with a wrong one.
SECRET_SAMPLES = {"key": "cle-invalide", "uidb36": "0"}


@pytest.mark.parametrize("visitor", VISITORS)
def test_it_serves_every_page_without_a_server_error(site, visitor_client, visitor):
    samples = {**site, **SECRET_SAMPLES}
    extra, unfilled = pattern_urls(samples)
    assert unfilled == [], f"give these URL parameters a sample value: {unfilled}"

    pages = crawl(visitor_client(visitor), extra=extra)

    errors = {url: page.status for url, page in pages.items() if page.status >= 500}
    assert errors == {}
    assert len(pages) > 20
    if visitor in ("moderator", "superuser"):
        assert any(url.startswith("/admin/promises/promise/") for url in pages)
    if visitor == "superuser":
        assert any(url.startswith("/admin/auth/group/") for url in pages)
