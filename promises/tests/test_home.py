"""The home page: open promises close to their objective, then the newest others, each once."""

import re

import pytest

from accounts.tests.factories import UserFactory
from promises import services
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db


def _promise(initiator, action: str, objective: int, counted: int):
    promise = PromiseFactory(created_by=initiator, action=action, objective=objective)
    for user in UserFactory.create_batch(counted):
        services.pledge_create(promise=promise, user=user)
    promise.refresh_from_db()
    return promise


def _section(response, title_id: str) -> str:
    """The HTML of the section labelled by that title, or "" when the page has none."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{title_id}">(.*?)</section>',
        response.content.decode(),
        re.DOTALL,
    )
    return match.group(1) if match else ""


def _cards(html: str) -> list[str]:
    """The promise links of the cards, in their order."""
    return re.findall(r'class="stretched-link[^"]*" href="([^"]+)"', html)


def test_it_puts_a_promise_at_80_percent_under_close_and_one_at_7_percent_under_newest(
    client, initiator
):
    close = _promise(initiator, "planter des arbres au parc", objective=10, counted=8)
    far = _promise(initiator, "apprendre les gestes qui sauvent", objective=15, counted=1)

    response = client.get("/")

    assert far.progress_percent == 7
    assert _cards(_section(response, "titre-proches")) == [close.get_absolute_url()]
    assert _cards(_section(response, "titre-recentes")) == [far.get_absolute_url()]


def test_it_never_shows_a_card_twice(client, initiator):
    for i in range(5):
        _promise(initiator, f"promesse proche numéro {i}", objective=4, counted=3)
        _promise(initiator, f"promesse lointaine numéro {i}", objective=40, counted=1)

    response = client.get("/")

    close = _cards(_section(response, "titre-proches"))
    newest = _cards(_section(response, "titre-recentes"))
    assert len(close) == len(newest) == 3
    every_card = _cards(response.content.decode())
    assert len(every_card) == len(set(every_card)) == 6


def test_it_sorts_the_close_ones_by_closeness_and_the_others_newest_first(client, initiator):
    half = _promise(initiator, "à mi-chemin de l'objectif", objective=10, counted=5)
    nearly = _promise(initiator, "presque à l'objectif", objective=10, counted=9)
    older = _promise(initiator, "une promesse plus ancienne", objective=10, counted=1)
    newer = _promise(initiator, "une promesse plus récente", objective=10, counted=0)

    response = client.get("/")

    assert _cards(_section(response, "titre-proches")) == [
        nearly.get_absolute_url(),
        half.get_absolute_url(),
    ]
    assert _cards(_section(response, "titre-recentes")) == [
        newer.get_absolute_url(),
        older.get_absolute_url(),
    ]


def test_it_hides_the_close_section_when_no_promise_is_close(client, initiator):
    far = _promise(initiator, "aller au travail à vélo", objective=200, counted=46)

    response = client.get("/")

    assert "Bientôt à l'objectif" not in page_text(response)
    assert _cards(_section(response, "titre-recentes")) == [far.get_absolute_url()]


def test_it_leaves_out_promises_no_longer_open(client, initiator):
    reached = _promise(initiator, "nettoyer la plage", objective=2, counted=2)
    cancelled = _promise(initiator, "une soupe annulée", objective=10, counted=6)
    services.promise_cancel(promise=cancelled)

    response = client.get("/")

    assert reached.is_reached
    assert _cards(response.content.decode()) == []
    assert "Aucune promesse en cours" in page_text(response)
