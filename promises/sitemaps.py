"""sitemap.xml: what a search engine may index. Public promises only, as an anonymous visitor
sees them (visible_to, then listed: never a hidden promise), the themes and the site's pages.

Addresses are built from SITE_URL, never from the request's Host header (the client chooses
it: onpromet/site_url.py says why)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from onpromet.site_url import absolute

from .models import Promise, Theme


class _OnSiteUrl(Sitemap):
    limit = 5000

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PromiseSitemap(_OnSiteUrl):
    changefreq = "daily"

    def items(self):
        return (
            Promise.objects.visible_to(AnonymousUser())
            .listed()
            .only("slug", "updated_at", "state")
            .order_by("-created_at", "pk")
        )

    def lastmod(self, promise: Promise):
        return promise.updated_at

    def priority(self, promise: Promise) -> float:
        return 0.8 if promise.is_live else 0.4


class ThemeSitemap(_OnSiteUrl):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Theme.objects.order_by("name")


class PageSitemap(_OnSiteUrl):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> list[str]:
        return ["home", "promises:list", "themes", "privacy"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "themes": ThemeSitemap, "promises": PromiseSitemap}


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """/sitemap.xml: the index of the sections' files (and of their pages, 5 000 addresses
    each), as django.contrib.sitemaps' own index writes it, but from SITE_URL: Django's builds
    the addresses from the request's host."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        location = absolute(reverse("sitemap_section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        items.append(SitemapIndexItem(location, None))
        items += [SitemapIndexItem(f"{location}?p={page}", None) for page in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
