"""The ceiling: what the framework itself costs per page on this machine."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def ceiling(request: HttpRequest) -> HttpResponse:
    """A small template with a CSRF form and no query, served by the same gunicorn through the
    same middleware as the site's pages: no page of the site can be faster."""
    return render(request, "bench/ceiling.html")
