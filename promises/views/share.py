"""The pictures of a promise for social networks (promises/share_images.py draws them), and
the page addresses the Open Graph tags of templates/base.html need.

A picture exists only for a promise that an anonymous visitor may see: it is fetched by
crawlers, and posted where anyone reads it. A hidden promise has none, whoever asks, its
initiators included: nothing of it is drawn, so nothing of it can leak. A promise for an
organisation's members only has its pictures for its members alone, privately
(permissions.get_shared).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.encoding import escape_uri_path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from onpromet.site_url import absolute

from .. import share_images
from ..models import Promise
from ..permissions import get_shared

# Browsers and the networks' crawlers may keep a picture this long without asking again; a
# new version of the promise is a new ETag, so a conditional request gets the new one at once.
MAX_AGE = 300
# The cache keeps a picture for a day: a change of the promise makes a new key anyway.
CACHE_TTL = 24 * 3600
# One more when the drawing changes, so that pictures drawn the old way are not served.
DRAWING = 2


@dataclass(frozen=True)
class Picture:
    render: Callable[[Promise], bytes]
    download: bool  # served as a file to save ("Télécharger l'image")


PICTURES = {
    "og": Picture(share_images.og_image, download=False),
    "square": Picture(share_images.square_image, download=True),
}


def picture_tag(promise: Promise, kind: str) -> str:
    """What the picture shows, named: the promise at its version, and the drawing."""
    return f"{kind}-{promise.pk}-{promise.version}-{DRAWING}"


def cache_key(promise: Promise, kind: str) -> str:
    return f"share-image:{picture_tag(promise, kind)}"


def _serve(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    # One for an organisation's members only is theirs: drawn for them, kept by no shared cache.
    promise, public = get_shared(request, slug)
    if promise is None:
        raise Http404
    picture = PICTURES[kind]
    response = HttpResponse(content_type="image/png")
    response["ETag"] = f'"{picture_tag(promise, kind)}"'
    reach = {"public": True} if public else {"private": True}
    patch_cache_control(response, **reach, max_age=MAX_AGE)
    # If-None-Match with this version: 304, with the same ETag and Cache-Control. (Django
    # gives back `response` itself when the request's conditions let it through.)
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    if conditional is not response:
        return conditional

    key = cache_key(promise, kind)
    png = cache.get(key)
    if png is None:  # not drawn yet for this version, or Redis is down (the cache fails open)
        png = picture.render(promise)
        cache.set(key, png, CACHE_TTL)
    response.content = png
    if picture.download:
        response["Content-Disposition"] = content_disposition_header(
            True, f"onpromet-{promise.slug}.png"
        )
    return response


@require_safe
def og_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The preview a social network shows under a link to the promise (og:image)."""
    return _serve(request, slug, "og")


@require_safe
def square_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The square picture to post in a story, downloaded as a file."""
    return _serve(request, slug, "square")


def page_addresses(request: HttpRequest) -> dict:
    """Context processor: the public address of the site, and the canonical address of the
    page, from SITE_URL (never from the Host header, which the client chooses; and the
    page cache would keep it for everyone)."""
    return {
        "site_url": settings.SITE_URL,
        "canonical_url": absolute(escape_uri_path(request.path)),
    }
