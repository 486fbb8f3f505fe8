"""The pictures of a promise for social networks: the og:image preview and the square picture
to post, their caching by version, who may fetch them, and the Open Graph tags of the pages."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image, ImageDraw, features

from notifications.tests.fixtures import free_port
from onpromet.french import NBSP
from promises import services, share_images, sharing
from promises.models import Promise
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text, promise_url
from promises.views.share import cache_key

PICTURES = ["og_image", "square_image"]
KINDS = {"og_image": "og", "square_image": "square"}

# 200 characters, the longest action there is, with what French needs to draw right.
LONG_ACTION = (
    "aller ramasser œufs, flacons et déchets sur la plage de l’Écluse à Saint-Énogat, "
    "« fièrement », en famille, puis réfléchir à ça : comment éviter qu’on les y retrouve ? "
    "Rendez-vous à 9 h, près du phare"
)


def picture(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def inside(bbox, box) -> bool:
    left, top, right, bottom = bbox
    box_left, box_top, box_right, box_bottom = box
    return box_left <= left and box_top <= top and right <= box_right and bottom <= box_bottom


# --- The pictures -------------------------------------------------------------------------


def test_it_draws_the_preview_at_1200_by_630_and_the_square_one_at_1080(promise):
    og = picture(share_images.og_image(promise))
    square = picture(share_images.square_image(promise))
    assert (og.format, og.size) == ("PNG", (1200, 630))
    assert (square.format, square.size) == ("PNG", (1080, 1080))


def test_it_draws_each_state_and_the_count(promise):
    drawn = {share_images.og_image(promise)}
    for state in Promise.State:
        promise.state = state
        drawn.add(share_images.og_image(promise))
    assert len(drawn) == len(Promise.State)  # open twice, the same picture
    promise.pledge_count = 2
    assert share_images.og_image(promise) not in drawn


def test_it_writes_the_progress_and_the_state_as_the_page_does(initiator):
    promise = PromiseFactory(created_by=initiator, objective=1500)
    promise.pledge_count = 1234
    assert share_images.progress_label(promise) == "1\u202f234 / 1\u202f500 personnes"
    promise.objective = 1
    assert share_images.progress_label(promise).endswith(" personne")
    promise.state = Promise.State.REACHED
    assert share_images.state_label(promise) == "Objectif atteint"


def test_it_puts_the_short_link_without_its_scheme_on_the_square_one(settings, promise):
    settings.SITE_URL = "https://onpromet.example"
    assert sharing.typed_address(promise) == f"onpromet.example/p/{promise.short_code}/"


def test_it_draws_in_lato_with_ligatures():
    assert (share_images.FONT_DIR / share_images.FONT_FILES["bold"]).exists()
    if features.check("raqm"):
        assert share_images.LAYOUT == share_images.ImageFont.Layout.RAQM
    face = share_images.font("bold", 80)

    def drawn(**options) -> bytes:
        image = Image.new("L", (300, 120))
        ImageDraw.Draw(image).text((10, 10), "fifl", font=face, fill=255, **options)
        return image.tobytes()

    # Shaped with the font's ligatures, not letter by letter.
    assert drawn() != drawn(features=["-liga"])


# --- Fitting the sentence -----------------------------------------------------------------


def test_it_wraps_only_at_ordinary_spaces():
    face = share_images.font("bold", 40)
    text = f"Bienvenue{NBSP}! «{NBSP}fièrement{NBSP}» " * 6
    lines = share_images.wrap(text, face, 500)
    assert len(lines) > 1
    assert all(face.getlength(line) <= 500 for line in lines)
    for line in lines:
        assert not line.startswith(("!", "»")) and not line.endswith("«")
    assert " ".join(lines) == text.strip()


def test_it_cuts_a_word_longer_than_a_line_between_letters():
    face = share_images.font("bold", 40)
    word = "anticonstitutionnellement" * 3
    lines = share_images.wrap(word, face, 400)
    assert "".join(lines) == word
    assert all(face.getlength(line) <= 400 for line in lines)


def test_it_breaks_an_address_after_slashes_and_hyphens():
    face = share_images.font("bold", 40)
    address = "onpromet.example/promesses/aller-nettoyer-la-plage-de-biscarosse-4f2a1c/"
    lines = share_images.wrap(address, face, 500, share_images.BREAK_IN_ADDRESS)
    assert "".join(lines) == address
    assert all(line.endswith(("/", "-")) for line in lines[:-1])


def test_it_shrinks_a_long_sentence_to_fit_and_keeps_a_short_one_large():
    box = {"weight": "bold", "width": 1000, "height": 300, "max_size": 70, "min_size": 30}
    short = share_images.fit_text("Je promets de planter des arbres.", **box)
    long = share_images.fit_text(f"Je promets {LONG_ACTION}.", **box)
    assert short.size == 70
    assert 30 <= long.size < short.size
    for block in (short, long):
        assert block.height <= 300
        assert all(inside(bbox, (0, 0, 1000, 300)) for bbox in block.bboxes(0, 0))
    assert " ".join(long.lines) == f"Je promets {LONG_ACTION}."


def test_it_ends_with_an_ellipsis_what_does_not_fit_at_the_smallest_size():
    block = share_images.fit_text(
        "mot " * 200, weight="bold", width=600, height=200, max_size=40, min_size=30
    )
    assert block.size == 30
    assert block.height <= 200
    assert block.lines[-1].endswith("…")
    assert all(block.font.getlength(line) <= 600 for line in block.lines)


def test_it_keeps_a_number_with_what_it_counts(initiator):
    promise = PromiseFactory(created_by=initiator, action="planter des arbres", objective=1500)
    text = share_images.picture_text(promise.sentence)
    assert f"si{NBSP}1\u202f500{NBSP}personnes" in text
    assert text.replace(NBSP, " ") == promise.sentence.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("layout", "box", "size"),
    [
        (share_images.og_sentence, share_images.OG_SENTENCE, share_images.OG_SIZE),
        (share_images.square_sentence, share_images.SQUARE_SENTENCE, share_images.SQUARE_SIZE),
    ],
)
def test_it_keeps_a_200_character_sentence_with_accents_inside_the_picture(
    initiator, layout, box, size
):
    assert len(LONG_ACTION) == Promise.ACTION_MAX_LENGTH
    promise = PromiseFactory(created_by=initiator, action=LONG_ACTION, objective=1500)
    block = layout(promise)
    left, top, width, height = box
    assert block.height <= height
    # Drawn as og_image()/square_image() draw it: centred in its box, vertically.
    y = top + (height - block.height) // 2
    for bbox in block.bboxes(left, y):
        assert inside(bbox, (left, top, left + width, top + height))
        assert inside(bbox, (0, 0, *size))
    # All of it, not cut: the same words in the same order.
    drawn = " ".join(block.lines).replace(NBSP, " ")
    assert drawn == promise.sentence.replace(NBSP, " ")
    assert "œufs" in drawn and "l’Écluse" in drawn and "« fièrement »" in drawn


# --- Serving them -------------------------------------------------------------------------


@pytest.mark.parametrize("name", PICTURES)
def test_it_serves_a_png_that_anyone_may_cache_for_five_minutes(client, promise, name):
    response = client.get(promise_url(name, promise))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert picture(response.content).format == "PNG"
    assert re.fullmatch(r'"[\w-]+"', response["ETag"])
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    # Nothing personal: no cookie, and shared caches may keep it for everyone.
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_it_offers_the_square_picture_as_a_file_to_download(client, promise):
    response = client.get(promise_url("square_image", promise))
    assert response["Content-Disposition"] == (
        f'attachment; filename="onpromet-{promise.slug}.png"'
    )
    assert "Content-Disposition" not in client.get(promise_url("og_image", promise))


@pytest.mark.parametrize("name", PICTURES)
def test_it_answers_304_to_a_browser_that_has_this_version(client, promise, name):
    first = client.get(promise_url(name, promise))
    again = client.get(promise_url(name, promise), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    stale = client.get(promise_url(name, promise), HTTP_IF_NONE_MATCH='"og-0-0-0"')
    assert stale.status_code == 200


@pytest.mark.parametrize("name", PICTURES)
def test_it_draws_again_when_the_count_changes(client, promise, participant, name):
    before = client.get(promise_url(name, promise))
    services.pledge_create(promise=promise, user=participant)
    after = client.get(promise_url(name, promise), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


@pytest.mark.parametrize("name", PICTURES)
def test_it_draws_again_when_the_text_changes(client, promise, name):
    before = client.get(promise_url(name, promise))
    services.promise_update(promise=promise, data={"action": "planter des arbres au parc"})
    after = client.get(promise_url(name, promise))
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_it_draws_a_reached_promise_as_reached(client, promise):
    before = client.get(promise_url("og_image", promise))
    reach(promise)
    assert promise.is_reached
    after = client.get(promise_url("og_image", promise))
    assert after.content != before.content


@pytest.mark.parametrize("name", PICTURES)
def test_it_serves_the_picture_of_a_version_from_the_cache(
    client, promise, name, django_assert_num_queries
):
    first = client.get(promise_url(name, promise))
    promise.refresh_from_db()
    key = cache_key(promise, KINDS[name])
    assert cache.get(key) == first.content
    # What the cache holds is what is served: the second request draws nothing.
    cache.set(key, b"drawn before")
    with django_assert_num_queries(1):  # the promise, and nothing else
        second = client.get(promise_url(name, promise))
    assert second.content == b"drawn before"
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("name", PICTURES)
def test_it_still_serves_pictures_with_redis_down(settings, client, promise, name):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    for _ in range(2):  # drawn each time
        response = client.get(promise_url(name, promise))
        assert response.status_code == 200
        assert picture(response.content).format == "PNG"


@pytest.mark.parametrize("name", PICTURES)
def test_an_outsider_gets_the_same_picture_as_everyone(client, promise, outsider, name):
    anonymous = client.get(promise_url(name, promise))
    client.force_login(outsider)
    response = client.get(promise_url(name, promise))
    assert response.status_code == 200
    assert response.content == anonymous.content


@pytest.mark.parametrize("name", PICTURES)
@pytest.mark.parametrize("viewer", ["anonymous", "initiator", "moderator", "outsider"])
def test_a_hidden_promise_has_no_picture_whoever_asks(client, promise, request, viewer, name):
    client.get(promise_url(name, promise))  # drawn and cached while it was visible
    services.promise_set_hidden(promise=promise, hidden=True)
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    response = client.get(promise_url(name, promise))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", PICTURES)
def test_an_unknown_promise_has_no_picture(client, db, name):
    url = reverse(f"promises:{name}", args=["pas-de-promesse-123abc"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", PICTURES)
def test_it_only_answers_get_and_head(client, promise, name):
    assert client.post(promise_url(name, promise)).status_code == 405
    assert client.head(promise_url(name, promise)).status_code == 200


# --- The Open Graph tags of the pages -----------------------------------------------------


def meta(html: str, attribute: str, name: str) -> list[str]:
    return re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)


def test_the_home_page_carries_its_open_graph_tags_and_canonical_address(settings, client, db):
    settings.SITE_URL = "https://onpromet.example"
    # The address comes from SITE_URL, whatever Host the client sends.
    html = client.get("/", HTTP_HOST="127.0.0.1:6666").content.decode()
    assert '<link rel="canonical" href="https://onpromet.example/">' in html
    assert meta(html, "property", "og:url") == ["https://onpromet.example/"]
    assert meta(html, "property", "og:site_name") == ["OnPromet"]
    assert meta(html, "property", "og:type") == ["website"]
    (title,) = meta(html, "property", "og:title")
    assert title
    assert meta(html, "property", "og:description")[0].startswith("Des promesses conditionnelles")
    assert meta(html, "property", "og:image") == []
    assert meta(html, "name", "twitter:card") == ["summary"]
    assert "6666" not in html


def test_the_canonical_address_is_the_page_without_its_query(settings, client, db):
    settings.SITE_URL = "https://onpromet.example"
    html = client.get("/promesses/?q=plage&page=2").content.decode()
    assert '<link rel="canonical" href="https://onpromet.example/promesses/">' in html


def test_a_hidden_promise_page_tells_nothing_of_it_in_its_tags(client, initiator):
    promise = PromiseFactory(created_by=initiator, action="planter des érables au square")
    services.promise_set_hidden(promise=promise, hidden=True)
    response = client.get(promise.get_absolute_url())
    assert response.status_code == 404
    head = response.content.decode().split("</head>")[0]
    # Its address is the one the visitor followed; nothing else of it is there.
    assert "érables" not in head
    assert "Je promets" not in head
    assert meta(head, "property", "og:image") == []
    assert meta(head, "name", "twitter:card") == ["summary"]
    assert "masquée" in page_text(response)
