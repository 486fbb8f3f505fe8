"""The poster and the flyers: PDFs that open, one page each, whose QR codes scan to the promise
(decoded from the rendered page, as a phone would), with the sentence's text in correct French,
for those who may see the promise only."""

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.urls import reverse

from onpromet.french import french_date
from promises import services
from promises.models import Promise
from promises.tests.factories import PromiseFactory

SITE = "https://onpromet.example"

# 200 characters, the longest action the form takes, with accents, « », an apostrophe, a
# ligature and the no-break spaces French puts before : and ;.
LONG_ACTION = (
    "réparer les vélos du quartier avec l'atelier « Roue libre » : chaque samedi matin, "
    "œuvrer à rendre la ville plus douce ; accueillir les enfants, prêter nos outils et "
    "apprendre à chacun à entretenir sa"
)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _get(client, name, promise):
    return client.get(reverse(f"promises:{name}", args=[promise.slug]))


def _document(response) -> pdfium.PdfDocument:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return pdfium.PdfDocument(response.content)


def _codes(document) -> list[str]:
    """What a phone reads from the printed page: the QR codes of page 1 rendered at 144 dpi."""
    image = document[0].render(scale=2).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def _text(document) -> str:
    """The page's text, one space wherever there is any (line ends, no-break spaces)."""
    return _words(document[0].get_textpage().get_text_range())


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _url(promise, source) -> str:
    return f"{SITE}/promesses/{promise.slug}/?source={source}"


# --- The poster -----------------------------------------------------------------------------


def test_it_prints_an_a4_poster_of_one_page(client, promise):
    document = _document(_get(client, "poster", promise))
    assert len(document) == 1
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_its_qr_code_scans_to_the_promise_with_the_poster_source(client, promise):
    assert _codes(_document(_get(client, "poster", promise))) == [_url(promise, "affiche")]


def test_it_reads_the_sentence_objective_deadline_and_city_in_french(client, initiator):
    promise = PromiseFactory(created_by=initiator, objective=1, city="Saint-Rémy-de-Provence")
    text = _text(_document(_get(client, "poster", promise)))
    assert (
        "Je promets d'aller nettoyer la plage de Biscarosse le samedi 8 juillet, "
        "si 1 personne le promet aussi." in text
    )
    assert "1 personne, en plus des initiateurs" in text
    assert french_date(promise.deadline) in text
    assert "Saint-Rémy-de-Provence" in text
    # The address, for those who type it, under the code.
    assert f"onpromet.example/p/{promise.short_code}/" in text


def test_a_200_character_sentence_fits_whole(client, initiator):
    promise = PromiseFactory(created_by=initiator, action=LONG_ACTION, objective=1500)
    assert len(promise.action) == Promise.ACTION_MAX_LENGTH
    document = _document(_get(client, "poster", promise))
    assert len(document) == 1
    assert _words(promise.sentence) in _text(document)
    assert "si 1 500 personnes le promettent aussi." in _text(document)
    assert _codes(document) == [_url(promise, "affiche")]


def test_it_says_what_a_failed_promise_is_rather_than_join_us(client, promise):
    Promise.objects.filter(pk=promise.pk).update(state=Promise.State.FAILED)
    text = _text(_document(_get(client, "poster", promise)))
    assert "Objectif non atteint" in text
    assert "Promettez" not in text


def test_it_leaves_out_what_the_font_cannot_draw(client, initiator):
    promise = PromiseFactory(created_by=initiator, action="aller à la plage 🌊 le samedi")
    text = _text(_document(_get(client, "poster", promise)))
    assert "Je promets d'aller à la plage le samedi" in text
    assert "🌊" not in text


def test_it_opens_in_the_browser_with_a_file_name(client, promise):
    response = _get(client, "poster", promise)
    assert response["Content-Disposition"] == f'inline; filename="affiche-{promise.slug}.pdf"'


# --- The flyers -----------------------------------------------------------------------------


def test_it_prints_8_flyers_on_one_page_whose_8_codes_scan(client, promise):
    document = _document(_get(client, "flyers", promise))
    assert len(document) == 1
    assert _codes(document) == [_url(promise, "flyer")] * 8
    assert _text(document).count(_words(promise.sentence)) == 8
    response = _get(client, "flyers", promise)
    assert response["Content-Disposition"] == f'inline; filename="flyers-{promise.slug}.pdf"'


def test_each_flyer_has_a_200_character_sentence_whole_with_objective_and_deadline(
    client, initiator
):
    promise = PromiseFactory(created_by=initiator, action=LONG_ACTION, objective=1500)
    document = _document(_get(client, "flyers", promise))
    text = _text(document)
    assert text.count(_words(promise.sentence)) == 8
    assert text.count("Objectif : 1 500 personnes") == 8
    assert text.count("Date limite :") == 8
    assert _codes(document) == [_url(promise, "flyer")] * 8


# --- Who may print it -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["poster", "flyers"])
def test_anyone_may_print_a_public_promise(client, promise, outsider, name):
    assert _get(client, name, promise).status_code == 200
    client.force_login(outsider)
    assert _get(client, name, promise).status_code == 200


@pytest.mark.parametrize("name", ["poster", "flyers"])
def test_a_hidden_promise_is_a_404_for_the_public(client, promise, outsider, name):
    services.promise_set_hidden(promise=promise, hidden=True)
    assert _get(client, name, promise).status_code == 404
    client.force_login(outsider)
    response = _get(client, name, promise)
    assert response.status_code == 404
    assert promise.action not in response.content.decode()


@pytest.mark.parametrize("name", ["poster", "flyers"])
def test_who_still_sees_a_hidden_promise_page_may_still_print_it(
    client, promise, initiator, moderator, name
):
    # The same rule as the promise page: its initiators and the moderators.
    services.promise_set_hidden(promise=promise, hidden=True)
    for user in (initiator, moderator):
        client.force_login(user)
        assert _get(client, name, promise).status_code == 200


def test_an_unknown_promise_is_a_404(client, db):
    assert client.get("/promesses/n-existe-pas-123456/affiche.pdf").status_code == 404
    assert client.get("/promesses/n-existe-pas-123456/flyers.pdf").status_code == 404
