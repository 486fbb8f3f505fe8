"""Places: the communes' loader, the matching of old city texts, the promise form's commune
field (without JavaScript) and its suggestions."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from promises import places
from promises.models import Commune, Promise
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.helpers import page_text, promise_url
from promises.tests.places_fixtures import commune, communes  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("communes")

CREATE = reverse("promises:create")
SUGGEST = reverse("promises:communes")


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_communes", *args, stdout=out)
    return out.getvalue().replace("\u202f", " ")  # french_number's narrow no-break spaces


# --- The loader -----------------------------------------------------------------------------


def test_it_loads_every_current_commune_once_however_often_it_runs(db):
    Commune.objects.all().delete()  # undone with the test's transaction

    first = load()
    assert first.startswith("Communes : 34 969 chargées (34 969 nouvelles, 0 modifiée")
    again = load()
    assert again.startswith("Communes déjà à jour (34 969)")
    forced = load("--force")
    assert forced.startswith("Communes : 34 969 chargées (0 nouvelle, 0 modifiée")
    assert Commune.objects.count() == 34_969
    assert Commune.objects.values("insee").distinct().count() == 34_969

    paris = commune("75056")
    assert (paris.name, paris.departement) == ("Paris", "75")
    assert (paris.latitude, paris.longitude) == pytest.approx((48.85, 2.35), abs=0.05)
    assert "75011" in paris.postcodes and paris.population > 2_000_000
    assert commune("69123").name == "Lyon" and commune("13055").name == "Marseille"
    # Arrondissements and former communes are not communes of their own.
    assert not Commune.objects.filter(insee__in=["75111", "69381"]).exists()


def test_it_puts_back_what_changed_and_gives_merged_communes_a_former_ones_centre(db):
    Commune.objects.filter(insee="40046").delete()
    Commune.objects.filter(insee="75056").update(population=1, latitude=0)

    out = load()

    assert "(1 nouvelle, 1 modifiée" in out
    assert commune("40046").name == "Biscarrosse"
    assert commune("75056").latitude == pytest.approx(48.85, abs=0.05)
    # Conques-en-Rouergue (2016) has no centre of its own in the source: Conques's.
    assert commune("12218").latitude == pytest.approx(44.6, abs=0.1)


def test_it_matches_the_city_texts_of_existing_promises(db, initiator, moderator, client):
    cities = {
        "Biscarrosse": "40046",
        "Paris 11e": "75056",
        "75011 Paris": "75056",
        "Lyon (Croix-Rousse)": "69123",
        "saint-etienne": "42218",
        "40600": "40046",
    }
    matched = {city: PromiseFactory(created_by=initiator, city=city) for city in cities}
    remote = PromiseFactory(created_by=initiator, city="À distance")
    typo = PromiseFactory(created_by=initiator, city="Biscarosse")
    nowhere = PromiseFactory(created_by=initiator, city="Atlantis")

    out = load()

    assert "promesses : 6 rattachées à leur commune, 2 non reconnues" in out
    for city, promise in matched.items():
        promise.refresh_from_db()
        assert promise.commune.insee == cities[city]
        assert promise.city == city  # as its author typed it
    for promise in (remote, typo, nowhere):
        promise.refresh_from_db()
        assert promise.commune is None
    # Homonyms: the most populous.
    assert PromiseFactory(created_by=initiator, city="Saint-Denis") and "1 rattachée à" in load()
    assert Promise.objects.get(city="Saint-Denis").commune.insee == "97411"

    # Moderators see those left unmatched, and only those.
    client.force_login(moderator)
    url = reverse("admin:promises_promise_changelist")
    text = page_text(client.get(url, {"commune": "non-reconnue"}))
    assert "2 promesses" in text and "Atlantis" not in text  # the city is not a column
    listed = client.get(url, {"commune": "non-reconnue"}).context["cl"].result_list
    assert {p.pk for p in listed} == {typo.pk, nowhere.pk}
    remote_listed = client.get(url, {"commune": "a-distance"}).context["cl"].result_list
    assert [p.pk for p in remote_listed] == [remote.pk]
    # The commune is on the promise's admin page.
    page = page_text(client.get(reverse("admin:promises_promise_change", args=[remote.pk])))
    assert "Adresse ou point de rendez-vous" in page and 'name="commune"' in page


# --- The promise form, without JavaScript ---------------------------------------------------


@pytest.fixture
def form_data(db):
    theme = ThemeFactory(name="Environnement", slug="environnement")
    return {
        "action": "aller nettoyer la plage de Biscarrosse le samedi 8 juillet",
        "objective": "50",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "description": "On se retrouve au poste de secours.",
        "themes": [theme.pk],
        "city": "Biscarrosse",
        "meeting_point": "Poste de secours de la plage Centrale",
    }


def test_it_takes_the_one_commune_that_answers(client, initiator, form_data):
    client.force_login(initiator)
    for typed in ("biscarrosse", "40600", "Biscarrosse (40600)"):
        response = client.post(CREATE, {**form_data, "city": typed})
        assert response.status_code == 302, typed
    promises = Promise.objects.all()
    assert {(p.city, p.commune.insee) for p in promises} == {("Biscarrosse", "40046")}
    assert {p.meeting_point for p in promises} == {"Poste de secours de la plage Centrale"}


def test_it_lists_the_communes_of_the_same_name_to_choose_from(client, initiator, form_data):
    client.force_login(initiator)

    response = client.post(CREATE, {**form_data, "city": "Saint-Denis"})

    assert response.status_code == 200 and not Promise.objects.exists()
    text = page_text(response)
    assert "Plusieurs communes correspondent à « Saint-Denis » : choisissez la vôtre." in text
    assert re.search(r'type="radio"[^>]*name="commune" value="93066"', text)
    assert "Saint-Denis (93200)" in text and "Saint-Denis (97400)" in text

    response = client.post(CREATE, {**form_data, "city": "Saint-Denis", "commune": "93066"})

    assert response.status_code == 302
    promise = Promise.objects.get()
    assert (promise.city, promise.commune.insee) == ("Saint-Denis", "93066")


def test_it_lists_the_communes_that_start_as_typed(client, initiator, form_data):
    client.force_login(initiator)
    text = page_text(client.post(CREATE, {**form_data, "city": "Biscar"}))
    # Only one starts so: chosen; "saint-et" has many.
    assert Promise.objects.get().commune.insee == "40046"
    text = page_text(client.post(CREATE, {**form_data, "city": "saint-et"}))
    assert "Saint-Étienne (42000)" in text
    assert len(re.findall(r'type="radio"[^>]*name="commune"', text)) == places.CANDIDATES


def test_it_says_when_no_commune_answers(client, initiator, form_data):
    client.force_login(initiator)
    for typed, message in [
        ("Atlantis", "Aucune commune ne correspond à « Atlantis » : vérifiez l'orthographe"),
        ("", "Indiquez une ville, ou cochez « À distance »."),
        ("99999", "Aucune commune ne correspond à « 99999 »"),
    ]:
        response = client.post(CREATE, {**form_data, "city": typed})
        assert response.status_code == 200
        assert message in page_text(response)
    # A stale or forged choice is ignored: the text decides.
    response = client.post(CREATE, {**form_data, "city": "Atlantis", "commune": "<b>"})
    assert response.status_code == 200 and "<b>" not in response.content.decode()
    assert not Promise.objects.exists()


def test_it_leaves_a_remote_promise_without_a_place(client, initiator, form_data):
    client.force_login(initiator)
    response = client.post(CREATE, {**form_data, "city": "", "remote": "on"})
    assert response.status_code == 302
    promise = Promise.objects.get()
    assert (promise.city, promise.commune) == ("À distance", None)

    # Its edit form says so; a commune can still be given.
    text = page_text(client.get(promise_url("edit", promise)))
    assert re.search(r'<input type="checkbox" name="remote"[^>]*checked', text)
    data = {**form_data, "city": "Mimizan"}
    assert client.post(promise_url("edit", promise), data).status_code == 302
    promise.refresh_from_db()
    assert (promise.city, promise.commune.insee) == ("Mimizan", "40184")
    assert 'value="Mimizan (40200)"' in page_text(client.get(promise_url("edit", promise)))


# --- Suggestions as one types ---------------------------------------------------------------


def suggest(client, **params) -> str:
    """The options htmx gets."""
    response = client.get(SUGGEST, params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_it_suggests_communes_as_one_types(client, db):
    assert '<option value="Biscarrosse (40600)">' in suggest(client, city="biscar")
    assert suggest(client, q="saint").count("<option") == places.SUGGESTIONS
    assert "<option" not in suggest(client)
    assert "<option" not in suggest(client, q="b")
    # The names are escaped: L'Haÿ-les-Roses.
    assert "L&#x27;Haÿ-les-Roses (94240)" in suggest(client, q="l hay")
    hostile = suggest(client, q="<script>" * 50 + "%00\x00")
    assert "<script>" not in hostile
    assert client.post(SUGGEST, {"q": "bisc"}).status_code == 405


def test_it_shows_the_suggestions_in_a_page_to_a_visitor_who_opens_their_address(client, db):
    response = client.get(SUGGEST, {"q": "biscar"})
    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Communes" in text and "<li>Biscarrosse (40600)</li>" in text
    assert "Aucune commune ne commence ainsi." in page_text(client.get(SUGGEST, {"q": "zzzz"}))


def test_it_answers_a_suggestion_in_one_query(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert "<option" in suggest(client, q="saint")


def test_it_limits_the_suggestions_per_visitor(client, db, monkeypatch):
    monkeypatch.setattr("promises.views.communes.SUGGESTIONS_PER_MINUTE", 3)
    codes = [client.get(SUGGEST, {"q": "bisc"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_it_normalises_names_and_parses_what_is_typed():
    assert places.normalise("L'Haÿ-les-Roses") == "l hay les roses"
    assert places.normalise("St-Étienne") == "saint etienne"
    assert places.parse("Paris 11ème arrondissement") == places.Typed("paris", None)
    assert places.parse("Biscarrosse (40600)") == places.Typed("biscarrosse", "40600")
    assert places.parse("40600 Biscarrosse") == places.Typed("biscarrosse", "40600")
    assert places.distance_label(350) == "à moins d'1\u00a0km"
    assert places.distance_label(2600) == "à 3\u00a0km"
