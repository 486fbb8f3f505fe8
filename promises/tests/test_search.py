"""/promesses/?q=: French full-text search (promises/search.py, promises/migrations/0010)."""

import re
import time

import pytest
from django.db import connection
from django.urls import reverse

from promises import selectors, services
from promises.models import Promise
from promises.tests.factories import PromiseFactory, ThemeFactory
from promises.tests.helpers import page_text

URL = reverse("promises:list")


def found(client, q: str, **filters) -> str:
    response = client.get(URL, {"q": q, **filters})
    assert response.status_code == 200
    return page_text(response)


def ranked(client, q: str, **filters) -> list[str]:
    """The slugs of the result cards, in their order."""
    response = client.get(URL, {"q": q, **filters})
    assert response.status_code == 200
    return re.findall(
        r'class="stretched-link[^"]*" href="/promesses/([^/"]+)/"', page_text(response)
    )


def excerpts(client, q: str) -> list[str]:
    response = client.get(URL, {"q": q})
    return re.findall(
        r'<p class="small mb-0 promise-excerpt">(.*?)</p>', response.content.decode(), re.S
    )


def vector(promise) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM promises_promise WHERE id = %s", [promise.pk]
        )
        return cursor.fetchone()[0]


@pytest.fixture
def bikes(initiator):
    return [
        PromiseFactory(created_by=initiator, action="réparer mon velo", description="Atelier."),
        PromiseFactory(created_by=initiator, action="prêter nos vélos", description="Au garage."),
        PromiseFactory(
            created_by=initiator, action="aller au travail à VÉLO", description="Le lundi."
        ),
    ]


def test_it_finds_a_word_without_its_accent_and_in_the_plural(client, bikes, promise):
    for q in ("vélo", "velo", "VÉLO", "vélos"):
        text = found(client, q)
        assert "3 promesses" in text, q
        assert all(bike.action in text for bike in bikes), q
        assert "nettoyer la plage" not in text, q


def test_it_finds_a_derived_word(client, initiator):
    PromiseFactory(created_by=initiator, action="nettoyer la plage", description="Des gants.")
    PromiseFactory(created_by=initiator, action="planter des arbres", description="Pelles.")
    text = found(client, "nettoyage plage")
    assert "1 promesse" in text and "nettoyer la plage" in text
    assert "planter des arbres" not in text
    # Every word counts: the plage without the nettoyage is not enough.
    assert "Aucune promesse" in found(client, "nettoyage forêt")


def test_it_finds_the_city_and_the_themes(client, initiator):
    mobility = ThemeFactory(name="Mobilité douce", slug="mobilite-douce")
    PromiseFactory(
        created_by=initiator, action="covoiturer", city="Saint-Étienne", themes=[mobility]
    )
    PromiseFactory(created_by=initiator, action="composter", city="Lyon")
    assert "covoiturer" in found(client, "saint etienne")
    assert "composter" not in found(client, "saint etienne")
    assert "covoiturer" in found(client, "mobilite")
    assert "covoiturer" not in found(client, "lyon")


def test_it_ranks_the_sentence_above_the_description(client, initiator):
    in_description = PromiseFactory(
        created_by=initiator,
        action="ranger le local",
        description="Le compost, le compost, encore le compost : il faut le retourner.",
    )
    in_sentence = PromiseFactory(
        created_by=initiator, action="lancer un compost partagé", description="Dans la cour."
    )
    newest = PromiseFactory(
        created_by=initiator, action="trier nos déchets", description="Compost."
    )
    # Not the newest first, nor the one that says it thrice.
    assert ranked(client, "compost") == [in_sentence.slug, in_description.slug, newest.slug]
    # The order chosen in the select wins over relevance.
    assert ranked(client, "compost", tri="recentes")[0] == newest.slug


def test_it_ranks_the_exact_word_above_a_longer_one(client, initiator):
    composer = PromiseFactory(created_by=initiator, action="composer une chanson")
    compost = PromiseFactory(created_by=initiator, action="composter nos épluchures")
    assert ranked(client, "compost") == [compost.slug, composer.slug]


def test_it_never_finds_hidden_promises_whoever_searches(client, initiator, moderator, promise):
    services.promise_set_hidden(promise=promise, hidden=True)
    for user in (None, initiator, moderator):
        if user:
            client.force_login(user)
        text = found(client, "plage")
        assert promise.action not in text
        assert "Aucune promesse ne correspond" in text


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "&",
        "!",
        ":*",
        "plage:*",
        "<script>alert(1)</script>",
        "a & | ! ( ) <-> '",
        "' OR 1=1 --",
        "\\",
        "-",
        "or",
        '"plage',
        "plage -",
        "\x00",
        "x" * 10_000,
    ],
)
def test_it_answers_hostile_queries(client, promise, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_it_bounds_the_length_of_a_search(client, promise):
    text = found(client, "plage " * 2000)
    assert "Votre recherche est trop longue : 100 caractères au plus." in text


def test_it_says_when_only_common_words_were_typed(client, promise):
    text = found(client, "le de la")
    assert "Aucune promesse ne correspond" in text
    assert "Les mots cherchés sont trop courants" in text


def test_it_suggests_removing_the_filters(client, promise):
    services.promise_cancel(promise=promise)
    text = found(client, "plage", etat=Promise.State.OPEN, theme=promise.themes.get().slug)
    assert "Aucune promesse ne correspond" in text
    assert '<a href="/promesses/?q=plage">Chercher « plage » dans toutes les promesses</a>' in text
    assert promise.action in found(client, "plage")
    # Without filters, there is nothing to remove: other words are the only way.
    text = found(client, "trottinette")
    assert "dans toutes les promesses" not in text and "Essayez d'autres mots" in text


def test_it_highlights_the_words_found_in_an_excerpt(client, initiator):
    PromiseFactory(
        created_by=initiator,
        action="aller au travail autrement",
        description="Nous irons à vélo, ou en vélos partagés, tous les lundis.",
    )
    PromiseFactory(created_by=initiator, action="réparer des vélos", description="Au garage.")
    shown = sorted(excerpts(client, "velo"))
    assert shown == [
        "Au garage.",  # the words are in its sentence, the card's title
        "Nous irons à <mark>vélo</mark>, ou en <mark>vélos</mark> partagés, tous les lundis.",
    ]
    assert not excerpts(client, "")  # the listing without a search has no excerpt


def test_it_shows_the_passage_of_a_long_description_where_the_words_are(client, initiator):
    filler = " ".join(f"phrase{n}" for n in range(60))
    PromiseFactory(created_by=initiator, action="planter", description=f"{filler} un verger.")
    (excerpt,) = excerpts(client, "verger")
    assert "<mark>verger</mark>" in excerpt
    assert "phrase0 " not in excerpt and len(excerpt.split()) <= 35


def test_it_escapes_the_description_in_the_excerpt(client, initiator):
    PromiseFactory(
        created_by=initiator,
        action="planter des haies",
        description='Des haies "<img src=x onerror=alert(1)>" & 5 < 6 \ue000 <b>haie</b>\ue001',
    )
    (excerpt,) = excerpts(client, "haie")
    assert "<img" not in excerpt and "<b>" not in excerpt and "\ue000" not in excerpt
    assert "&amp; 5 &lt; 6" in excerpt
    assert "<mark>haies</mark>" in excerpt
    # Only the sentinels of the headline became <mark>: as many opened as closed.
    assert excerpt.count("<mark>") == excerpt.count("</mark>") >= 2


@pytest.mark.parametrize("promises", [1, 20])
def test_it_keeps_its_query_count_constant(
    client, initiator, django_assert_max_num_queries, promises
):
    PromiseFactory.create_batch(promises, created_by=initiator)
    # The count, the page's ids with their excerpts, the cards' rows, the themes of the form.
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"q": "plage"})
    assert response.content.decode().count("promise-excerpt") == min(promises, 12)
    with django_assert_max_num_queries(5):  # and why nothing was found
        assert client.get(URL, {"q": "le"}).status_code == 200


def test_it_follows_the_themes_and_their_names(client, initiator):
    garden = ThemeFactory(name="Jardinage", slug="jardinage")
    promise = PromiseFactory(created_by=initiator, action="semer des radis", themes=[garden])
    assert "semer des radis" in found(client, "jardinage")
    garden.name = "Potagers"
    garden.save()
    assert "'potager':" in vector(promise)
    assert "semer des radis" in found(client, "potager")
    assert "semer des radis" not in found(client, "jardinage")
    promise.themes.remove(garden)
    assert "semer des radis" not in found(client, "potager")
    promise.themes.add(garden)
    assert "semer des radis" in found(client, "potager")


def test_it_follows_changes_of_the_promise_however_saved(client, initiator):
    promise = PromiseFactory(created_by=initiator, action="semer des radis", description="Bio.")
    Promise.objects.filter(pk=promise.pk).update(description="Des carottes aussi.")
    assert "semer des radis" in found(client, "carottes")
    # save() writes every column, search_vector with what it read (here: nothing, NULL):
    # the trigger recomputes it rather than taking it.
    promise.refresh_from_db(fields=["description", "version"])
    promise.search_vector = None
    promise.save()
    assert "semer des radis" in found(client, "carottes")
    # ... before the version trigger looks: a write of search_vector alone changes nothing.
    version = Promise.objects.get(pk=promise.pk).version
    Promise.objects.filter(pk=promise.pk).update(search_vector=None)
    assert Promise.objects.get(pk=promise.pk).version == version
    assert "semer des radis" in found(client, "carottes")
    # The pledges' counter updates do not recompute it (the trigger's column list).
    before = vector(promise)
    Promise.objects.filter(pk=promise.pk).update(pledge_count=2)
    assert vector(promise) == before


# --- At scale ----------------------------------------------------------------------------------

SCALE = 100_000
WORDS = ["jardin", "compost", "plage", "arbre", "forêt", "quartier", "école", "marché", "rivière"]


def _insert_many(user) -> None:
    """SCALE open promises in one INSERT … SELECT generate_series (the triggers compute each
    vector), a few dozen of them about bikes; every other column takes its default."""
    special = {
        "slug": "'echelle-' || i",
        "short_code": "'e' || i",
        "action": "CASE WHEN mod(i, 5000) = 0 THEN 'réparer des vélos' "
        "ELSE 'entretenir le ' || (%s::text[])[1 + mod(i, 9)] || ' numéro ' || i END",
        "description": "'Rendez-vous devant la mairie, ' || (%s::text[])[1 + mod(i / 9, 9)]",
        "city": "'Ville ' || mod(i, 500)",
        "objective": "10",
        "deadline": "now() + interval '30 days'",
        "created_by_id": "%s",
        "created_at": "now() - i * interval '1 minute'",
        "updated_at": "now()",
    }
    columns, values, params = [], [], []
    for field in Promise._meta.concrete_fields:
        if field.primary_key or field.column == "search_vector":
            continue
        columns.append(field.column)
        if field.column in special:
            values.append(special[field.column])
            params += {"action": [WORDS], "description": [WORDS], "created_by_id": [user.pk]}.get(
                field.column, []
            )
        elif field.null:
            values.append("NULL")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    # The model's columns and this module's SQL, no input.
    insert = f"INSERT INTO promises_promise ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{insert} FROM generate_series(1, {SCALE}) AS i", params)
        cursor.execute("ANALYZE promises_promise")


@pytest.mark.django_db
def test_it_reads_the_index_with_100_000_promises(client, initiator):
    started = time.monotonic()
    _insert_many(initiator)
    inserted = time.monotonic() - started
    assert Promise.objects.count() == SCALE
    search = selectors.promises_search(user=initiator, q="vélo")
    plan = search.explain()
    assert "Bitmap Index Scan on promise_search_vector" in plan, plan
    count_plan = search.order_by().explain()
    assert "Bitmap Index Scan on promise_search_vector" in count_plan, count_plan
    # The page itself: the bikes, most recent first among equals, in a few milliseconds.
    started = time.monotonic()
    text = found(client, "vélos")
    searched = time.monotonic() - started
    assert f"{SCALE // 5000} promesses" in text
    print(f"\n{SCALE} promises inserted in {inserted:.1f} s; the page in {searched * 1000:.0f} ms")


# --- In a browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_results_with_their_excerpts_in_a_browser(
    live_server, new_page, browser_errors, initiator
):
    from playwright.sync_api import expect

    from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR

    PromiseFactory(
        created_by=initiator,
        action="aller au travail à vélo le lundi",
        description="On part ensemble de la gare à 8 h, avec des vélos prêtés à qui n'en a pas.",
    )
    PromiseFactory(created_by=initiator, action="réparer les vélos du quartier")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport)
        page.goto(live_server.url + URL)
        page.get_by_label("Rechercher").fill("vélo")
        page.get_by_role("button", name="Filtrer").click()
        expect(page.get_by_text("2 promesses")).to_be_visible()
        expect(page.locator(".promise-excerpt mark").first).to_have_text("vélos")
        page.screenshot(path=SCREENSHOTS_DIR / f"search-results-{name}.png", full_page=True)
    page.goto(live_server.url + URL + "?q=trottinette&etat=open")
    expect(page.get_by_text("Aucune promesse ne correspond")).to_be_visible()
    page.screenshot(path=SCREENSHOTS_DIR / "search-nothing-phone.png", full_page=True)
    assert browser_errors == []
