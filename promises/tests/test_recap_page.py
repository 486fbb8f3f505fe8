"""/promesses/<slug>/bilan/: public once published, with the figures and the chart; before,
its initiators only (anyone else gets a 404, as if there were no bilan)."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from promises import services
from promises.tests import scenarios
from promises.tests.factories import reach
from promises.tests.helpers import page_text


def url(promise) -> str:
    return reverse("promises:recap", args=[promise.slug])


@pytest.fixture
def story(initiator):
    return scenarios.build(initiator)


@pytest.fixture
def published(story, initiator):
    services.recap_save(
        promise=story.promise, author=initiator, text="Merci à tous !\n210 kg de déchets."
    )
    services.recap_publish(promise=story.promise)
    return story.promise


@pytest.mark.parametrize("visitor", ["anonymous", "outsider", "participant", "initiator"])
def test_it_shows_a_published_recap_to_everyone(client, published, story, visitor, request):
    users = {"participant": story.people["alice"]}
    if visitor in ("outsider", "initiator"):
        users[visitor] = request.getfixturevalue(visitor)
    if visitor in users:
        client.force_login(users[visitor])

    response = client.get(url(published))

    assert response.status_code == 200
    text = page_text(response)
    assert "Merci à tous !" in text and "210 kg de déchets." in text
    assert "Publié le" in text
    assert '<svg class="pledge-chart"' in text
    assert "Les pourcentages sont calculés sur les 6 personnes qui ont participé" in text


def test_it_shows_the_figures_of_the_story(client, published):
    text = page_text(client.get(url(published)))

    for label, number, share in [
        ("Quand l'objectif a été atteint", 4, 67),
        ("Ont rejoint en cours de route", 2, 33),
        ("Ont posté au moins une photo", 3, 50),
        ("Disent avoir tenu leur promesse", 2, 33),
        ("Ont abandonné", 2, 33),
    ]:
        figure = rf'{label}</dt>\s*<dd[^>]*><span class="figure-number">{number}</span>'
        assert re.search(rf"{figure}\s*<span[^>]*>· {share} %</span>", text), label


@pytest.mark.parametrize("visitor", ["anonymous", "outsider", "participant"])
def test_it_hides_an_unpublished_recap_from_all_but_the_initiators(
    client, story, initiator, outsider, visitor
):
    services.recap_save(promise=story.promise, author=initiator, text="Brouillon secret")
    if visitor == "outsider":
        client.force_login(outsider)
    elif visitor == "participant":
        client.force_login(story.people["alice"])

    response = client.get(url(story.promise))

    assert response.status_code == 404
    assert "Brouillon secret" not in response.content.decode()


def test_it_shows_the_draft_to_an_initiator_with_what_to_do_next(client, story, initiator):
    services.recap_save(promise=story.promise, author=initiator, text="Brouillon secret")
    client.force_login(initiator)

    text = page_text(client.get(url(story.promise)))

    assert "Brouillon secret" in text
    assert "seuls les initiateurs voient ce bilan" in text
    assert reverse("promises:recap_edit", args=[story.promise.slug]) in text
    assert reverse("promises:recap_publish", args=[story.promise.slug]) in text


def test_it_invites_an_initiator_to_write_it(client, story, initiator):
    client.force_login(initiator)

    text = page_text(client.get(url(story.promise)))

    assert "Le bilan n'est pas encore écrit." in text
    assert "Écrire le bilan" in text
    assert reverse("promises:recap_publish", args=[story.promise.slug]) not in text


def test_it_has_no_recap_for_a_promise_not_reached(client, promise, initiator):
    client.force_login(initiator)

    assert client.get(url(promise)).status_code == 404


def test_it_hides_the_recap_of_a_hidden_promise(client, published):
    services.promise_set_hidden(promise=published, hidden=True)

    assert client.get(url(published)).status_code == 404


def test_it_links_the_promise_page_to_the_published_recap(client, published):
    text = page_text(client.get(published.get_absolute_url()))

    assert f'href="{url(published)}">Voir le bilan</a>' in text


def test_it_links_an_initiator_to_the_recap_to_write(client, story, initiator):
    client.force_login(initiator)
    assert "Écrire le bilan" in page_text(client.get(story.promise.get_absolute_url()))


def test_it_shows_no_recap_link_to_a_participant_before_publication(client, story):
    client.force_login(story.people["alice"])
    assert url(story.promise) not in page_text(client.get(story.promise.get_absolute_url()))


@pytest.mark.parametrize("participants", [1, 30])
def test_it_bounds_the_queries_of_the_recap_page(
    client, promise, initiator, django_assert_max_num_queries, participants
):
    reach(promise, extra=participants)
    services.recap_save(promise=promise, author=initiator, text="Bilan")
    services.recap_publish(promise=promise)
    client.force_login(UserFactory())

    # 8, plus the sponsors' commitments (one query, promises.commitments).
    with django_assert_max_num_queries(9):
        assert client.get(url(promise)).status_code == 200
