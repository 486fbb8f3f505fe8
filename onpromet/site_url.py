"""Absolute links to the site, for what is read away from it (emails, calendar files).

They are built from settings.SITE_URL, never from the request: its Host header is whatever the
client sent, and ALLOWED_HOSTS does not check the port, so `Host: 127.0.0.1:6666` would put a
link to a port of the attacker's choosing in a password-reset email."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    """`path` (from reverse() or get_absolute_url(), starting with "/") on the public site."""
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    """The public site's host (and port, if any), e.g. "onpromet.fr", for emails that name it."""
    return urlsplit(settings.SITE_URL).netloc
