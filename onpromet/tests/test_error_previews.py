"""The French error pages can be seen in development: with DEBUG on, Django shows its own
English pages in their place, so /_erreurs/<status>/ draws ours, through the same handlers,
with the same status. Without DEBUG these addresses are not found, like any other.

(With DEBUG on, django-csp sends no Content-Security-Policy on a 404 or a 500, so that Django's
own pages work: the headers of the real error pages are the gates' business, without DEBUG.)"""

import pytest

from onpromet.tests.crawl import Page
from onpromet.tests.test_gate_headers import blocked_markup
from onpromet.tests.test_outage_postgres import BAD_REQUEST, SERVER_ERROR, UNAVAILABLE
from onpromet.views import RETRY_AFTER_SECONDS
from promises.tests.helpers import page_text

NOT_FOUND = "Page introuvable"


def _page(response) -> Page:
    return Page("", response.status_code, response["Content-Type"], response.content.decode(), {})


@pytest.mark.parametrize(
    ("status", "sentence"),
    [(400, BAD_REQUEST), (500, SERVER_ERROR), (503, UNAVAILABLE)],
)
def test_it_previews_the_pages_drawn_without_the_database(client, settings, status, sentence):
    settings.DEBUG = True
    response = client.get(f"/_erreurs/{status}/")
    assert response.status_code == status
    text = page_text(response)
    assert sentence in text and '<html lang="fr">' in text
    assert "/static/css/onpromet.css" in text  # the site's look, not Django's bare page
    assert "Server Error" not in text and "Bad Request" not in text
    assert "no-cache" in response["Cache-Control"]
    assert blocked_markup(_page(response)) == []
    if status == 503:
        assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_it_previews_the_french_404_with_the_site_around_it(client, participant, settings):
    settings.DEBUG = True
    client.force_login(participant)
    response = client.get("/_erreurs/404/")
    assert response.status_code == 404
    text = page_text(response)
    assert NOT_FOUND in text and "Voir toutes les promesses" in text
    assert "Se déconnecter" in text  # base.html, with the visitor's menu
    assert "Page not found" not in text
    assert blocked_markup(_page(response)) == []


@pytest.mark.parametrize("status", [400, 404, 500, 503])
def test_it_hides_the_previews_without_debug(client, db, status):
    response = client.get(f"/_erreurs/{status}/")
    assert response.status_code == 404
    assert NOT_FOUND in page_text(response)


def test_it_shows_the_french_404_for_an_unknown_address_without_debug(client, db, settings):
    assert settings.DEBUG is False  # what the test client runs with, as production does
    response = client.get("/cette-adresse-n-existe-pas/")
    assert response.status_code == 404
    text = page_text(response)
    assert '<html lang="fr">' in text
    assert NOT_FOUND in text and "revenir à l'accueil" in text
    assert "Page not found" not in text


def test_it_answers_an_unknown_preview_as_not_found(client, settings):
    settings.DEBUG = True
    assert client.get("/_erreurs/418/").status_code == 404
