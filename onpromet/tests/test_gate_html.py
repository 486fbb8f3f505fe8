"""Gate 4: every page the five kinds of visitor can reach is valid HTML for the Nu HTML
Checker (the W3C's validator), run once on all pages."""

from onpromet.tests.conftest import VISITORS
from onpromet.tests.crawl import crawl, pattern_urls
from onpromet.tests.test_gate_crawl import SECRET_SAMPLES
from onpromet.tests.test_gate_headers import error_pages
from onpromet.tests.validator import java_or_skip, validate


def test_it_serves_only_valid_html(site, visitor_client):
    java_or_skip()
    extra, _ = pattern_urls({**site, **SECRET_SAMPLES})
    pages = {}
    for visitor in VISITORS:
        client = visitor_client(visitor)
        for url, page in {**crawl(client, extra=extra), **error_pages(client)}.items():
            if "text/html" in page.content_type and page.body.strip():
                pages[f"{visitor} {url}"] = page.body

    problems = validate(pages)

    assert len(pages) > 80
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(map(str, problems))
