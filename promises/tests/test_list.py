from django.urls import reverse

from promises import services
from promises.models import Promise
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.helpers import page_text

URL = reverse("promises:list")


def test_it_lists_promises_with_pagination(client, initiator):
    PromiseFactory.create_batch(13, created_by=initiator)
    first = page_text(client.get(URL))
    assert "13 promesses" in first
    assert "Page 1 sur 2" in first
    assert first.count("promise-card") == 12
    assert page_text(client.get(URL, {"page": 2})).count("promise-card") == 1


def test_it_searches_the_sentence_and_the_description(client, initiator):
    PromiseFactory(
        created_by=initiator, action="composter nos déchets de cuisine", description="Bac partagé."
    )
    PromiseFactory(
        created_by=initiator, action="laisser la voiture le mardi", description="Bus et vélo."
    )
    by_action = page_text(client.get(URL, {"q": "COMPOSTER"}))
    assert "composter nos déchets" in by_action and "voiture" not in by_action
    by_description = page_text(client.get(URL, {"q": "vélo"}))
    assert "voiture" in by_description and "composter" not in by_description


def test_it_filters_by_state_and_theme(client, initiator):
    mobility = ThemeFactory(name="Mobilité", slug="mobilite")
    PromiseFactory(created_by=initiator, action="laisser la voiture le mardi", themes=[mobility])
    cancelled = PromiseFactory(created_by=initiator, action="composter nos déchets de cuisine")
    services.promise_cancel(promise=cancelled)
    by_theme = page_text(client.get(URL, {"theme": "mobilite"}))
    assert "voiture" in by_theme and "composter" not in by_theme
    by_state = page_text(client.get(URL, {"etat": Promise.State.CANCELLED}))
    assert "composter" in by_state and "voiture" not in by_state


def test_it_ignores_invalid_filters_instead_of_failing(client, promise):
    response = client.get(URL, {"etat": "n'importe quoi", "theme": "inconnu", "page": "abc"})
    assert response.status_code == 200


def test_it_says_when_nothing_matches(client, promise):
    assert "Aucune promesse ne correspond" in page_text(client.get(URL, {"q": "introuvable"}))


def test_it_never_lists_hidden_promises(client, promise, moderator):
    services.promise_set_hidden(promise=promise, hidden=True)
    client.force_login(moderator)
    assert promise.action not in page_text(client.get(URL))
    assert promise.action not in page_text(client.get("/"))


def test_it_shows_cards_on_the_home_page(client, promise):
    text = page_text(client.get("/"))
    assert promise.sentence in text
    assert "0 / 3" in text
    assert "par Arthur" in text
    assert "Encore" in text


def test_it_has_an_empty_state_on_the_home_page(client, db):
    assert "Aucune promesse en cours" in page_text(client.get("/"))
