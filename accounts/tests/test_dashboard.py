"""/moi/: the promises I lead (figures, chart, forecast, reasons of abandons, anonymous) and
the ones I joined. The former address, /mon-espace/, redirects there for good."""

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from promises import services
from promises.tests import scenarios
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

URL = "/moi/"


def test_it_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize(
    ("old", "new"), [("/mon-espace/", "/moi/"), ("/mon-espace/profil/", "/moi/profil/")]
)
def test_it_moved_from_the_former_address_for_good(client, db, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_it_lists_the_promises_i_started(client, initiator, promise):
    client.force_login(initiator)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert promise.get_absolute_url() in content
    assert "Aucune pour l'instant." not in content
    assert "Vous n'avez encore promis nulle part." in content


def test_it_shows_the_figures_chart_and_reasons_of_a_promise_i_lead(client, initiator):
    story = scenarios.build(initiator)
    client.force_login(initiator)

    with time_machine.travel(scenarios.NOW, tick=False):
        text = page_text(client.get(URL))

    assert "Les pourcentages sont calculés sur les 6 personnes qui ont participé" in text
    assert f'aria-labelledby="courbe-{story.promise.slug}-titre' in text
    assert "Raisons des abandons" in text
    assert "«\u00a0Malade\u00a0»" in text
    # Anonymous: neither who abandoned, nor when.
    assert "Bruno" not in text
    assert "objectif atteint le 6 mars 2026" in text
    assert "Prévision." not in text  # nothing left to foresee
    assert "Le bilan" in text


def test_it_forecasts_an_open_promise(client, initiator):
    with time_machine.travel(scenarios.paris(1), tick=False):
        promise = PromiseFactory(created_by=initiator, objective=10, deadline=scenarios.paris(31))
    for day in (3, 4, 5, 6):
        with time_machine.travel(scenarios.paris(day), tick=False):
            services.pledge_create(promise=promise, user=UserFactory())
    client.force_login(initiator)

    with time_machine.travel(scenarios.paris(8), tick=False):
        text = page_text(client.get(URL))

    assert "Prévision." in text
    assert (
        "Au rythme actuel (≈ 4 promesses par semaine depuis le lancement, il y a 7 jours), "
        "l'objectif serait atteint entre le" in text
    )
    assert "fourchette à 90\u00a0%" in text
    assert "Une estimation, pas une promesse\u00a0:" in text


def test_it_lists_the_promises_i_joined(client, pledged, participant):
    client.force_login(participant)
    content = client.get(URL).content.decode()
    assert pledged.get_absolute_url() in content
    assert "Vous n'avez encore promis nulle part." not in content
    assert "Prévision." not in content  # figures and forecasts are for those who lead


def test_it_marks_a_pledge_waiting_for_email_confirmation(client, promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)
    client.force_login(newcomer)
    content = client.get(URL).content.decode()
    assert promise.get_absolute_url() in content
    assert "en attente de confirmation de l'e-mail" in content


def test_it_leaves_out_a_withdrawn_pledge(client, pledged, participant):
    services.pledge_withdraw(promise=pledged, user=participant)
    client.force_login(participant)
    content = client.get(URL).content.decode()
    assert pledged.get_absolute_url() not in content


def test_it_does_not_list_the_promises_of_others(client, pledged, outsider):
    client.force_login(outsider)
    content = client.get(URL).content.decode()
    assert pledged.get_absolute_url() not in content


@pytest.mark.parametrize("promises", [1, 12])
def test_it_bounds_the_queries_whatever_the_number_of_promises(
    client, initiator, django_assert_max_num_queries, promises
):
    for promise in PromiseFactory.create_batch(promises, created_by=initiator, objective=5):
        for user in UserFactory.create_batch(2):
            services.pledge_create(promise=promise, user=user)
    client.force_login(initiator)

    # 9, plus where the participants came from (one query for the page's promises).
    with django_assert_max_num_queries(10):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.content.decode().count('class="pledge-chart"') == min(promises, 10)
