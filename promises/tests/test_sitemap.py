"""sitemap.xml and robots.txt: public promises, themes and pages only, from SITE_URL."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from promises import services
from promises.tests.factories import PromiseFactory, ThemeFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url: str) -> list[str]:
    response = client.get(url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return [loc.text for loc in root.iter(f"{{{NS['s']}}}loc")]


def test_the_sitemap_lists_public_promises_themes_and_pages_from_site_url(
    client, settings, initiator
):
    settings.SITE_URL = "https://onpromet.example"
    theme = ThemeFactory(name="Mobilité", slug="mobilite")
    public = PromiseFactory(created_by=initiator, themes=[theme])
    hidden = PromiseFactory(created_by=initiator)
    services.promise_set_hidden(promise=hidden, hidden=True)

    sections = locations(client, reverse("sitemap"))
    assert sections == [
        "https://onpromet.example/sitemap-pages.xml",
        "https://onpromet.example/sitemap-themes.xml",
        "https://onpromet.example/sitemap-promises.xml",
    ]
    every = [loc for section in sections for loc in locations(client, section.split(".example")[1])]
    assert f"https://onpromet.example{public.get_absolute_url()}" in every
    assert f"https://onpromet.example{hidden.get_absolute_url()}" not in every
    assert "https://onpromet.example/themes/mobilite/" in every
    assert "https://onpromet.example/" in every
    assert all(loc.startswith("https://onpromet.example/") for loc in every)  # never the Host


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://onpromet.example"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /moi/" in text
    assert "Sitemap: https://onpromet.example/sitemap.xml" in text
