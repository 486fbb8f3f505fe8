"""The promise on paper: the A4 poster and the page of 8 flyers, as PDF files.

Whoever may see the promise page may print it, nobody else (get_access: 404 otherwise). So the
initiators of a promise hidden by the moderation, and the moderators, still get its PDFs, as
they still see its page; everyone else gets a 404, as on the page."""

from django.http import HttpRequest, HttpResponse

from .. import print as printing
from ..permissions import get_access


def poster(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_access(request, slug).promise
    return _pdf(printing.poster_pdf(promise), f"affiche-{promise.slug}.pdf")


def flyers(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_access(request, slug).promise
    return _pdf(printing.flyers_pdf(promise), f"flyers-{promise.slug}.pdf")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    # Inline: the browser opens its PDF viewer, from which one prints; the name is the one a
    # download keeps. Slugs are ASCII letters, digits and dashes: nothing to quote.
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
