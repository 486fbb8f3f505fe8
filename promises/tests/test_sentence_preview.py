"""The live preview on the promise form: the server writes the sentence with the function of
the promise page, for htmx, whatever was typed."""

import pytest
from django.urls import reverse

from promises.models import Promise

HTMX = {"HX-Request": "true"}
NBSP = "\u00a0"


def preview(client, headers=HTMX, **params):
    return client.get(reverse("promises:sentence_preview"), params, headers=headers)


def test_it_writes_the_sentence_of_the_promise_page(client, db):
    response = preview(client, action="de organiser un pique-nique.", objective="12")

    assert response.status_code == 200
    sentence = Promise(action="organiser un pique-nique", objective=12).sentence
    assert response.content.decode().count(sentence) == 1
    assert sentence == "Je promets d'organiser un pique-nique, si 12 personnes le promettent aussi."


@pytest.mark.parametrize(
    ("action", "objective", "expected"),
    [
        (
            "hisser le drapeau",
            "1",
            "Je promets de hisser le drapeau, si 1 personne le promet aussi.",
        ),
        (
            "planter un arbre",
            "50",
            "Je promets de planter un arbre, si 50 personnes le promettent aussi.",
        ),
        (
            "éteindre la lumière",
            "1000000",
            "Je promets d'éteindre la lumière, si 1\u202f000\u202f000 personnes le promettent",
        ),
        (
            "lire « Le Petit Prince »",
            "3",
            f"Je promets de lire «{NBSP}Le Petit Prince{NBSP}», si 3",
        ),
    ],
)
def test_it_elides_and_agrees_in_number(client, db, action, objective, expected):
    assert expected in preview(client, action=action, objective=objective).content.decode()


@pytest.mark.parametrize("objective", ["", "abc", "0", "-4", "1000001", "1e3", "9" * 5000])
def test_it_writes_x_for_an_objective_the_form_would_refuse(client, db, objective):
    response = preview(client, action="planter un arbre", objective=objective)

    assert response.status_code == 200
    assert "Je promets de planter un arbre, si X personnes le promettent aussi." in (
        response.content.decode()
    )


def test_it_escapes_what_was_typed(client, db):
    response = preview(client, action='<script>alert("x")</script>', objective="<b>3</b>")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "si X personnes" in body


def test_it_shows_nothing_until_there_is_an_action(client, db):
    for params in ({}, {"action": "   "}, {"objective": "5"}):
        response = preview(client, **params)
        assert response.status_code == 200
        assert response.content.decode().strip() == ""


def test_it_reads_no_row_even_for_a_member(client, participant, django_assert_num_queries):
    client.force_login(participant)

    with django_assert_num_queries(0):
        response = preview(client, action="planter un arbre", objective="3")

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]


def test_it_answers_a_visitor_without_htmx_with_a_page(client, db):
    response = preview(client, headers={}, action="planter un arbre", objective="3")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Aperçu de la phrase · OnPromet</title>" in body
    assert "Je promets de planter un arbre, si 3 personnes le promettent aussi." in body
    assert reverse("promises:create") in body
    empty = preview(client, headers={}).content.decode()
    assert "Rien à montrer" in empty


def test_it_refuses_a_post(client, db):
    response = client.post(reverse("promises:sentence_preview"), {"action": "planter un arbre"})

    assert response.status_code == 405


def test_the_form_asks_for_the_preview_and_loads_htmx_only_there(client, participant):
    client.force_login(participant)

    form = client.get(reverse("promises:create")).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert f'hx-get="{reverse("promises:sentence_preview")}"' in form
    assert "htmx.min.js" in form and "htmx-config" in form
    assert "htmx" not in home
