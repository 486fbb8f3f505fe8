"""Rate limits of our own actions (promises, pledges, posts, reports, invitations, edits),
counted in the cache.

allauth limits its own pages (settings.ACCOUNT_RATE_LIMITS); django-axes guards the admin
log-in. Both count by the visitor's IP as `client_ip` finds it.
"""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone


def _window_key(key: str, period: int) -> str:
    window = int(timezone.now().timestamp() // period)
    return f"ratelimit:{key}:{window}"


def used(key: str, period: int) -> int:
    """The hits counted on `key` in the current window, without counting one more."""
    return cache.get(_window_key(key, period)) or 0


def hit(key: str, limit: int, period: int) -> bool:
    """Count one hit on `key`: True while at most `limit` hits fell in the current window of
    `period` seconds, False beyond."""
    cache_key = _window_key(key, period)
    # add() only writes a missing key and incr() is atomic (Redis, memcached), so concurrent
    # requests are all counted. A fixed window: at worst 2 × limit hits around its edge.
    if cache.add(cache_key, 1, timeout=period):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add() and incr(): a new window
        cache.add(cache_key, 1, timeout=period)
        count = 1
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    """The visitor's IP: behind our proxy, the last address it added to X-Forwarded-For (the
    ones before it come from the client and can be forged)."""
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")
        if len(forwarded) >= settings.ALLAUTH_TRUSTED_PROXY_COUNT:
            ip = forwarded[-settings.ALLAUTH_TRUSTED_PROXY_COUNT].strip()
            if ip:
                return ip
    return request.META.get("REMOTE_ADDR", "")


TOO_MANY = "Trop de tentatives en peu de temps : réessayez dans un moment."


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """A page for a person; a short JSON answer for htmx and JSON calls (request.htmx: set by
    django-htmx's middleware from the HX-Request header)."""
    if request.htmx or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": TOO_MANY}, status=HTTPStatus.TOO_MANY_REQUESTS)
    else:
        response = render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(action: str, *, successes_only: bool = False) -> Callable:
    """View decorator: a POST beyond settings.RATE_LIMITS[action] gets the 429 page. Counted
    per member, or per IP for a visitor who is not logged in.

    With `successes_only`, only a POST that did it (answered by a redirect) counts: someone
    who corrects a long form three times has created nothing yet."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            limit, period = settings.RATE_LIMITS[action]
            who = (
                f"user:{request.user.pk}"
                if request.user.is_authenticated
                else f"ip:{client_ip(request)}"
            )
            key = f"{action}:{who}"
            if not successes_only:
                if not hit(key, limit, period):
                    return too_many_requests(request, retry_after=period)
                return view(request, *args, **kwargs)
            if used(key, period) >= limit:
                return too_many_requests(request, retry_after=period)
            response = view(request, *args, **kwargs)
            if response.status_code in (HTTPStatus.FOUND, HTTPStatus.SEE_OTHER):
                hit(key, limit, period)
            return response

        return wrapped

    return decorator


def outside_admin(request: HttpRequest, credentials: dict | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes neither counts nor locks log-ins outside the admin
    (allauth limits the site's own log-in)."""
    try:
        admin = reverse("admin:index")
    except NoReverseMatch:
        return True
    return not getattr(request, "path", "").startswith(admin)
