"""The themes' pages (/themes/, /themes/<slug>/) and the home page's links to them."""

import pytest
from django.test import Client
from django.urls import reverse

from promises import services
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def velo(db):
    return ThemeFactory(
        name="Mobilité", slug="mobilite", icon="🚲", description="Se déplacer autrement."
    )


def test_a_theme_page_shows_its_words_and_its_promises_only(client, initiator, velo):
    mine = PromiseFactory(created_by=initiator, action="aller au travail à vélo", themes=[velo])
    other = PromiseFactory(created_by=initiator, action="composter au jardin")
    page = page_text(client.get(reverse("theme", args=["mobilite"])))
    assert "🚲" in page and "Mobilité" in page and "Se déplacer autrement." in page
    assert mine.get_absolute_url() in page
    assert other.get_absolute_url() not in page
    assert "1 promesse" in page


def test_a_hidden_promise_is_on_no_theme_page(client, initiator, velo, moderator):
    hidden = PromiseFactory(created_by=initiator, themes=[velo])
    services.promise_set_hidden(promise=hidden, hidden=True)
    for visitor in (client, _logged_in(initiator), _logged_in(moderator)):
        page = page_text(visitor.get(reverse("theme", args=["mobilite"])))
        assert hidden.get_absolute_url() not in page
        assert "Aucune promesse dans ce thème pour l'instant." in page
    assert "Aucune promesse en cours" in page_text(client.get(reverse("themes")))


def test_an_unknown_theme_is_a_404(client):
    assert client.get(reverse("theme", args=["inconnu"])).status_code == 404


def test_the_themes_list_counts_open_promises(client, initiator, velo):
    PromiseFactory.create_batch(2, created_by=initiator, themes=[velo])
    cancelled = PromiseFactory(created_by=initiator, themes=[velo])
    services.promise_cancel(promise=cancelled)
    page = page_text(client.get(reverse("themes")))
    assert "2 promesses en cours" in page
    assert velo.get_absolute_url() in page


def test_home_links_to_each_theme(client, velo):
    page = page_text(client.get(reverse("home")))
    assert velo.get_absolute_url() in page
    assert reverse("themes") in page


def test_a_theme_page_is_drawn_again_when_a_moderator_rewrites_it(client, velo):
    client.get(reverse("theme", args=["mobilite"]))
    velo.description = "Marcher, pédaler, partager."
    velo.save()
    assert "Marcher, pédaler, partager." in page_text(
        client.get(reverse("theme", args=["mobilite"]))
    )


@pytest.mark.parametrize("promises", [1, 15])
def test_theme_pages_cost_the_same_whatever_the_number_of_promises(
    client, initiator, velo, promises, django_assert_max_num_queries
):
    PromiseFactory.create_batch(promises, created_by=initiator, themes=[velo])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("theme", args=["mobilite"])).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("themes")).status_code == 200


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
