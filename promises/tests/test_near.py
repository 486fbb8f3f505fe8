"""Près de chez moi: promises within a radius of a commune or of the browser's position, with
their distance, computed by Postgres (earthdistance) through the GiST index."""

import pytest
from django.urls import reverse

from promises import places, services
from promises.models import Promise
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text
from promises.tests.places_fixtures import commune, communes  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("communes")

LIST = reverse("promises:list")
# Biscarrosse's centre, to two decimals, as near.js sends a position.
HERE = {"lat": "44.39", "lon": "-1.16"}


def placed(initiator, insee: str, **kwargs) -> Promise:
    where = commune(insee)
    return PromiseFactory(created_by=initiator, city=where.name, commune=where, **kwargs)


@pytest.fixture
def landes(initiator):
    """Promises at Biscarrosse (0 km), Mimizan (25 km), Mont-de-Marsan (81 km), and one "à
    distance"."""
    return {
        "biscarrosse": placed(initiator, "40046", action="nettoyer la plage de Biscarrosse"),
        "mimizan": placed(initiator, "40184", action="planter des oyats à Mimizan"),
        "mont": placed(initiator, "40192", action="réparer des vélos à Mont-de-Marsan"),
        "remote": PromiseFactory(
            created_by=initiator, city=places.REMOTE_CITY, action="écrire aux députés landais"
        ),
    }


def test_it_measures_paris_lyon_as_the_crow_flies(db, initiator):
    lyon = placed(initiator, "69123")
    paris = commune("75056")

    found = places.near(
        Promise.objects.all(), latitude=paris.latitude, longitude=paris.longitude, km=400
    )

    assert list(found) == [lyon]
    assert found[0].distance / 1000 == pytest.approx(392, rel=0.01)
    assert not places.near(
        Promise.objects.all(), latitude=paris.latitude, longitude=paris.longitude, km=380
    ).exists()


@pytest.mark.parametrize(
    "km, expected",
    [
        (5, ["biscarrosse"]),
        (10, ["biscarrosse"]),
        (30, ["biscarrosse", "mimizan"]),
        (100, ["biscarrosse", "mimizan", "mont"]),
    ],
)
def test_it_keeps_the_promises_within_the_radius_closest_first(landes, km, expected):
    found = places.near(Promise.objects.all(), latitude=44.39, longitude=-1.16, km=km)
    assert list(found) == [landes[name] for name in expected]


def test_it_lists_the_promises_near_a_commune_with_their_distance(client, landes):
    response = client.get(LIST, {"pres": "Biscarrosse", "rayon": "30"})

    assert response.status_code == 200
    text = page_text(response)
    assert "Les promesses à moins de 30\u00a0km de Biscarrosse" in text
    assert "Les promesses à distance, sans lieu, ne sont pas dans ces résultats." in text
    assert "à moins d'1\u00a0km" in text and "Mimizan · à 25\u00a0km" in text
    assert text.index("Biscarrosse") < text.index("Mimizan ·")
    assert "réparer des vélos" not in text and "écrire aux députés" not in text
    # By postcode too.
    text = page_text(client.get(LIST, {"pres": "40200", "rayon": "5"}))
    assert "de Mimizan" in text and "planter des oyats" in text and "nettoyer la plage" not in text


def test_it_lists_the_promises_near_the_browsers_position_and_keeps_it_nowhere(
    client, initiator, landes
):
    client.force_login(initiator)

    response = client.get(LIST, {**HERE, "rayon": "10"})

    text = page_text(response)
    assert "de votre position (elle n'est pas enregistrée)" in text
    assert "nettoyer la plage" in text and "planter des oyats" not in text
    assert "44.39" not in str(dict(client.session.items()))
    assert "Set-Cookie" not in response.headers or "44.39" not in response.headers["Set-Cookie"]


def test_it_leaves_out_hidden_promises(client, landes):
    services.promise_set_hidden(promise=landes["biscarrosse"], hidden=True)
    text = page_text(client.get(LIST, {"pres": "Biscarrosse", "rayon": "30"}))
    assert "nettoyer la plage" not in text and "planter des oyats" in text


def test_it_combines_with_the_other_filters(client, landes):
    services.promise_cancel(promise=landes["mimizan"])
    text = page_text(client.get(LIST, {"pres": "Biscarrosse", "rayon": "30", "etat": "open"}))
    assert "nettoyer la plage" in text and "planter des oyats" not in text


def test_it_answers_bad_places_and_positions_without_an_error(client, landes):
    text = page_text(client.get(LIST, {"pres": "Atlantis"}))
    assert "Aucune commune ne correspond à « Atlantis »." in text
    for query in [
        {"lat": "abc", "lon": "2"},
        {"lat": "91", "lon": "2"},
        {"lat": "nan", "lon": "inf"},
        {"lat": "44.39"},
        {**HERE, "rayon": "7"},
        {"pres": "x" * 500},
        {"pres": "\x00<script>"},
    ]:
        response = client.get(LIST, query)
        assert response.status_code == 200, query
        assert "votre position" not in page_text(response), query


@pytest.mark.parametrize("promises", [1, 12])
def test_it_reads_the_page_in_a_bounded_number_of_queries(
    client, initiator, django_assert_max_num_queries, promises
):
    for _ in range(promises):
        placed(initiator, "40046")
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"pres": "Biscarrosse", "rayon": "10"})
    assert page_text(response).count("à moins d'1\u00a0km") == promises


def test_it_finds_the_communes_in_the_radius_through_the_gist_index(landes):
    plan = places.near(Promise.objects.only("pk"), latitude=44.39, longitude=-1.16, km=10).explain()
    assert "commune_earth" in plan, plan


def test_it_lets_the_list_alone_ask_for_the_position(client, db):
    assert "geolocation=(self)" in client.get(LIST)["Permissions-Policy"]
    assert "geolocation=()" in client.get(reverse("home"))["Permissions-Policy"]
    assert "geolocation=()" in client.get(reverse("promises:communes"))["Permissions-Policy"]
