"""/favicon.ico answers, with our icon: asked for by browsers on files that are not pages, by
feed readers and crawlers, whatever the pages' <link rel="icon"> says."""

import io

from django.test import Client
from PIL import Image


def test_it_serves_the_icon_at_favicon_ico(client: Client, db):
    response = client.get("/favicon.ico")

    # Temporary: in production the static file's name carries its hash, which may change.
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    image = Image.open(io.BytesIO(b"".join(icon.streaming_content)))
    assert image.format == "ICO"
    assert {(16, 16), (32, 32)} <= image.info["sizes"]


def test_it_links_both_icons_from_every_page(client: Client, db):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="32x32">' in page
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    svg = client.get("/static/img/favicon.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")
