"""The error pages Django shows in place of a view (handler400, handler500 in onpromet/urls.py).

They run after something went wrong, often the database itself, and Django routes to them the
errors of every middleware too (sessions and the logged-in user are read from the database).
So they render their template without a request: no context processor, no session, no user,
no query. And they never raise: a page that cannot be drawn gives way to a plain sentence.
"""

import logging
import sys
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found

logger = logging.getLogger(__name__)

# The database does not answer: browsers and crawlers may come back after this many seconds.
RETRY_AFTER_SECONDS = 60

FALLBACK = (
    '<!doctype html><html lang="fr"><meta charset="utf-8"><title>OnPromet</title><p>{}</p></html>'
)


def _page(template_name: str, status: int, sentence: str) -> HttpResponse:
    try:
        content = render_to_string(template_name)
    except Exception:  # noqa: BLE001 (an error page must not fail: say it plainly instead)
        logger.exception("Error page %s could not be rendered", template_name)
        content = FALLBACK.format(sentence)
    response = HttpResponse(content, status=status)
    # Neither the browser nor a proxy keeps an error in place of the page once it works again.
    add_never_cache_headers(response)
    return response


def _database_unavailable(error: BaseException | None) -> bool:
    """Connection refused, lost or exhausted; also when raised while handling such an error."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a body too large (DATA_UPLOAD_MAX_MEMORY_SIZE), too many fields, a bad host…"""
    return _page(
        "400.html",
        HTTPStatus.BAD_REQUEST,
        "Demande incorrecte : revenez en arrière, raccourcissez votre texte, puis réessayez.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database does not answer. Django calls this from
    within its `except` block, so sys.exc_info() holds the error."""
    if _database_unavailable(sys.exc_info()[1]):
        response = _page(
            "503.html",
            HTTPStatus.SERVICE_UNAVAILABLE,
            "Site momentanément indisponible : réessayez dans une minute.",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _page(
        "500.html",
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "Une erreur est survenue : réessayez dans quelques instants.",
    )


# --- Previews, in development ---------------------------------------------------------------
# With DEBUG on, Django shows its own English pages for a 400, a 404 or a 500 instead of ours:
# /_erreurs/<status>/ draws ours as production serves them, through the same handlers.


def _database_down(request: HttpRequest) -> HttpResponse:
    try:
        raise OperationalError("aperçu : la base de données ne répond pas")
    except OperationalError:
        return server_error(request)


ERROR_PREVIEWS = {
    HTTPStatus.BAD_REQUEST: lambda request: bad_request(request, BadRequest("aperçu")),
    HTTPStatus.NOT_FOUND: lambda request: page_not_found(request, Http404("aperçu")),
    HTTPStatus.INTERNAL_SERVER_ERROR: server_error,
    HTTPStatus.SERVICE_UNAVAILABLE: _database_down,
}


def error_preview(request: HttpRequest, status: int) -> HttpResponse:
    """The French error page of this status, with that status. Not found unless DEBUG is on:
    decided here, at each request, rather than by leaving the URL out of the URLconf at
    import, so that the address behaves in tests (which run with DEBUG off, whatever the
    environment said at import) exactly as in production."""
    if not settings.DEBUG:
        raise Http404
    return ERROR_PREVIEWS[status](request)


# What crawlers may read: the public pages, not the accounts, the admin, the dashboard or the
# redirecting short links; and where the sitemap is (from SITE_URL).
ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /moi/
Disallow: /notifications/
Disallow: /p/
Disallow: /promesses/*/widget/
Allow: /

Sitemap: {site_url}/sitemap.xml
"""


def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        ROBOTS.format(site_url=settings.SITE_URL), content_type="text/plain; charset=utf-8"
    )


# --- /confidentialite/ ----------------------------------------------------------------------


def _days(seconds: int) -> int:
    return round(seconds / 86400)


def privacy(request: HttpRequest) -> HttpResponse:
    """What is stored, why, for how long, who sees it; the cookies' names and lifetimes are
    read from the settings, so that the page says what the site does."""
    return render(
        request,
        "pages/privacy.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_days": _days(settings.SESSION_COOKIE_AGE),
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_days": _days(settings.CSRF_COOKIE_AGE),
        },
    )
