"""A crawl of the whole site, shared by the quality gates (server errors, headers, HTML,
accessibility). It follows the links from `/`, then adds every URL pattern not reached, filled
in with sample values, so a page added later is covered without editing any gate."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Each URL pattern is visited at most this many times (e.g. three promise pages, not all).
PER_ROUTE = 3
MAX_PAGES = 400

# Never followed: they end the session, or serve files rather than pages.
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/logout/", "/static/", "/media/")
# Admin pages that only repeat others with different parameters.
SKIPPED_ADMIN = re.compile(r"/admin/(jsi18n|r)/|/(history|delete|password)/(\?|$)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.links.append(attrs.get("action") or "")


def links_in(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def route_of(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "404"
    return match.route


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: str
    headers: dict = field(repr=False)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterable[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def pattern_urls(samples: dict[str, str]) -> tuple[list[str], list[str]]:
    """Every URL pattern of the site outside the admin, with its parameters filled from
    `samples` (name → value). Returns the URLs and the patterns that could not be filled."""
    urls, unfilled = [], []
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(("admin/", "^media/")):
            continue
        names = list(pattern.pattern.regex.groupindex)
        if any(name not in samples for name in names):
            unfilled.append(route)
            continue
        path = route.lstrip("^").rstrip("$")
        for name in names:
            path = re.sub(rf"<(\w+:)?{name}>|\(\?P<{name}>[^)]*\)", samples[name], path)
        urls.append("/" + path.replace("^", ""))
    return urls, unfilled


def crawl(
    client,
    *,
    start: Iterable[str] = ("/",),
    extra: Iterable[str] = (),
    follow: Callable[[str], bool] = lambda url: True,
) -> dict[str, Page]:
    """GET every page reachable from `start` (plus `extra`) as this client's user."""
    queue = list(dict.fromkeys([*start, *extra]))
    seen: set[str] = set(queue)
    per_route: dict[str, int] = {}
    pages: dict[str, Page] = {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        route = route_of(url)
        per_route[route] = per_route.get(route, 0) + 1
        if per_route[route] > PER_ROUTE:
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        body = response.content.decode(errors="replace") if "html" in content_type else ""
        pages[url] = Page(url, response.status_code, content_type, body, dict(response.headers))
        if response.status_code in (301, 302) and response.get("Location"):
            found = [urlsplit(urljoin(url, response["Location"])).path]
        else:
            found = links_in(body, url)
        for link in found:
            if link in seen or link.startswith(SKIPPED_PREFIXES) or SKIPPED_ADMIN.search(link):
                continue
            if not follow(link):
                continue
            seen.add(link)
            queue.append(link)
    return pages
