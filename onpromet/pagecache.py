"""Whole pages from the cache, for the pages that many people read at once.

A viral promise is read by thousands of people within minutes, and its page costs tens of
milliseconds to render. So the pages everyone reads (a promise's page, home, /promesses/) are
rendered once per *key* and then served from Redis. A view computes the key from two things:

- what the page shows: the version of each promise on it (`Promise.version`, which Postgres
  triggers bump in the transaction of every change, see promises/caching.py). A change makes
  a new key at once: the next request renders the page again, for everyone. An old entry is
  never read again and simply expires;
- who looks: everything about the visitor that the page depends on (anonymous, or logged-in
  with the standing that decides what they see). Visitors with the same key see the same bytes.

Two things are per request and never cached:

- the CSRF token, and the view's own per-visitor words (a participant's share link): the page
  is rendered with placeholders that this module replaces with the visitor's own values on
  each response (secret placeholders, derived from SECRET_KEY, so that no text a user writes
  can become one);
- messages ("Votre promesse est comptée"): a request with messages waiting renders as usual.

A page is kept at most PAGE_TTL seconds, which bounds how old its time-dependent words can be
("encore 3 jours", a deadline that has just passed): the key does not see the clock.

Each process also keeps what it read last in its own memory (`memory`, Django's LocMemCache,
at most MEMORY_ENTRIES entries): the requests of a viral page then cost no Redis round trip.
The keys are the same, versions inside, so memory is never staler than Redis; and an entry
keeps the time it was made, so that it leaves memory when it would have left Redis.

With Redis down, the cache answers as an empty one (onpromet/cache.py): every page renders, as
it did before this module existed.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cache

from django.contrib.messages import get_messages
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

# Seconds a rendered page is kept: the age of "encore 3 jours" at worst.
PAGE_TTL = 60
# Entries each process keeps in memory: pages of ~50 kB, so a few tens of MB at most.
MEMORY_ENTRIES = 400
memory = LocMemCache(
    "onpromet-pages", {"TIMEOUT": PAGE_TTL, "OPTIONS": {"MAX_ENTRIES": MEMORY_ENTRIES}}
)


def cache_get(key: str):
    """A value set by cache_set() less than PAGE_TTL seconds ago, from this process's memory,
    else from Redis (then kept in memory for what is left of its time); None if neither has it
    (or Redis is down)."""
    value = memory.get(key)
    if value is None:
        entry = default_cache.get(key)
        if entry is None:
            return None
        made, value = entry
        left = PAGE_TTL - (time.time() - made)
        if left > 0:
            memory.set(key, value, left)
    return value


def cache_set(key: str, value) -> None:
    memory.set(key, value, PAGE_TTL)
    default_cache.set(key, (time.time(), value), PAGE_TTL)


@cache
def placeholder(name: str) -> str:
    """Stands for a per-visitor value in a cached page; the same in every process of the site.
    Letters and digits only: it survives URL-encoding (a link inside a share link)."""
    return name + salted_hmac("onpromet.pagecache", f"{name}-placeholder").hexdigest()


def csrf_placeholder() -> str:
    return placeholder("csrf")


def page_number(request: HttpRequest, param: str) -> int:
    """?page=3 → 3, anything else → 1: page numbers go into keys as the paginators read them
    (get_page() shows the first page for what is not a number), and nothing a visitor types
    makes more than one key per page."""
    value = request.GET.get(param, "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def render_cached(
    request: HttpRequest,
    template_name: str,
    *,
    key: tuple,
    context: Callable[[], dict],
    fill: dict[str, str] | None = None,
) -> HttpResponse:
    """render(request, template_name, context()), from the cache when the same key was
    rendered less than PAGE_TTL seconds ago; context() runs only when the page is rendered.
    `key` must hold everything the page depends on beyond the template: what it shows
    (versions, page numbers) and who looks (see the module's doc). `fill` maps placeholders
    that context() put in the page to this visitor's values."""
    if request.method not in ("GET", "HEAD") or len(get_messages(request)):
        html = render_to_string(template_name, context(), request)
        return HttpResponse(_filled(request, html, fill))
    # "v2": Redis holds (time made, page) since memory came; a page of before is never read.
    cache_key = "page:v2:" + hashlib.sha256(repr((template_name, key)).encode()).hexdigest()
    html = cache_get(cache_key)
    if html is None:
        html = render_to_string(
            template_name, {**context(), "csrf_token": csrf_placeholder()}, request
        )
        cache_set(cache_key, html)
    return HttpResponse(_filled(request, html, fill))


def _filled(request: HttpRequest, html: str, fill: dict[str, str] | None) -> str:
    csrf = csrf_placeholder()
    if csrf in html:  # get_token() sets the CSRF cookie: only for a page with a form
        html = html.replace(csrf, get_token(request))
    for name, value in (fill or {}).items():
        html = html.replace(name, value)
    return html
