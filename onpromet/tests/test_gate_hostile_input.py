"""Gate 5, hostile input: every form of the site is submitted with generated input (very long
strings, Unicode, control characters and NUL, HTML and script payloads, SQL fragments, huge
and negative numbers, far dates, missing fields, lists where one value is expected, JSON
bodies; for an upload field, garbage files and damaged photos). The answer is never a 500:
a page with French errors, or a redirect for a success.
A refused input leaves what was stored unchanged, and no script payload comes back unescaped,
neither on the answer nor on the page a success leads to.

A form added later is covered by adding a row to FORMS. Each example runs in a savepoint that
is rolled back, with a fresh cache (so allauth's rate limits never answer in place of a form).
"""

import datetime
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from accounts.tests.factories import PASSWORD

# Examples per form: enough to meet every kind of input below, and the module stays < 60 s.
from notifications.kinds import topics
from onpromet.tests.access import World, failed_promise, finished_promise, promise_data, stored
from onpromet.tests.images import image_upload
from onpromet.tests.test_gate_access import client_for
from promises.emails import TOPIC_OUTCOME

# The world (onpromet/tests/access.py) is built once per module; each test is rolled back.
pytestmark = pytest.mark.django_db

EXAMPLES = 50

MARK = "xss-gate"
SCRIPTS = [
    f'<script>alert("{MARK}")</script>',
    f'"><img src=x onerror=alert("{MARK}")>',
    f"'><svg onload=alert('{MARK}')>",
    f'</textarea><script>alert("{MARK}")</script>',
    f'<a href="javascript:alert(1)">{MARK}</a>'.replace("<a", "<svg"),
]
# A payload shown raw: its tag survived (escaped, it reads &lt;script…).
UNESCAPED = re.compile(rf"<(?:script|img|svg)\b[^<]*{MARK}", re.IGNORECASE)

SQL = [
    "'; DROP TABLE promises_promise; --",
    "' OR '1'='1",
    "1) UNION SELECT password FROM accounts_user --",
    "%",
    "_",
    "\\",
]
ODD_TEXT = [
    "\x00",
    "avant\x00après",
    "\u202egnp.exe",  # right-to-left override
    "שלום עולם مرحبا",
    "e\u0301" * 60,  # combining accents
    "👍🏽👩‍👩‍👧‍👦" * 20,
    "\u200b\u200d\ufeff",
    "\r\n\t\x0b\x0c\x1b[31m\x7f",
    "𝕳𝖊𝖑𝖑𝖔",
    " ",
    "",
    "null",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "%00",
]
LONG = ["x" * 10_000, "é" * 5_000, "😀" * 3_000, "a " * 5_000]
NUMBERS = ["-1", "0", "1e309", "9" * 40, "-9223372036854775809", "2147483648", "NaN", "١٢٣"]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-02-30",
    "-0001-01-01",
    "31/12/2099",
    "2099-12-31T23:59:59",
    "0000-00-00",
]

hostile_value = st.one_of(
    st.sampled_from(SCRIPTS + SQL + ODD_TEXT + LONG + NUMBERS + DATES),
    st.text(max_size=300),  # any code point but surrogates, control characters included
    st.builds(
        lambda before, payload, after: before + payload + after,
        st.text(max_size=10),
        st.sampled_from(SCRIPTS + ODD_TEXT),
        st.text(max_size=10),
    ),
    st.integers().map(str),
    st.dates().map(datetime.date.isoformat),
)

DROP = object()
# What happens to one field: dropped, given a hostile value, or several values.
field_change = st.one_of(
    st.just(DROP), hostile_value, st.lists(hostile_value, min_size=2, max_size=3)
)


def _image_bytes(image_format: str, mode: str = "RGB", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=image_format)
    return buffer.getvalue()


IMAGES = [_image_bytes("JPEG"), _image_bytes("PNG", "LA"), _image_bytes("WEBP", "RGBA")]
MAGIC = [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"GIF89a"]
# What an upload field receives: any bytes, a photo's signature followed by garbage, a real
# photo cut short or with bytes flipped; under any name and announced type.
junk_bytes = st.one_of(
    st.binary(max_size=2_000),
    st.builds(lambda magic, rest: magic + rest, st.sampled_from(MAGIC), st.binary(max_size=500)),
    st.builds(lambda image, cut: image[:cut], st.sampled_from(IMAGES), st.integers(0, 400)),
    st.builds(
        lambda image, at, byte: image[:at] + bytes([byte]) + image[at + 1 :],
        st.sampled_from(IMAGES),
        st.integers(0, 300),
        st.integers(0, 255),
    ),
)
hostile_upload = st.builds(
    SimpleUploadedFile,
    name=st.one_of(
        st.sampled_from(["photo.jpg", "../../etc/passwd", "x" * 300 + ".png", "a.php.jpg"]),
        # (Names an upload cannot have, the test client cannot send either.)
        st.text(min_size=1, max_size=50).filter(
            lambda name: "\x00" not in name and name.split("/")[-1] not in ("", ".", "..")
        ),
    ),
    content=junk_bytes,
    content_type=st.sampled_from(["image/jpeg", "image/png", "text/html", ""]),
)
# What happens to an upload field: the same, or a hostile file instead.
upload_change = st.one_of(
    hostile_upload, hostile_upload, field_change, st.lists(hostile_upload, min_size=2, max_size=3)
)


@dataclass
class Form:
    name: str
    method: str
    url: Callable[[World], str]
    valid: Callable[[World], dict]
    who: str  # which visitor submits it (see test_gate_access.VISITORS)
    uploads: tuple[str, ...] = field(default=())  # the file fields (sent multipart, never JSON)


FORMS = [
    Form("promise create", "POST", lambda w: reverse("promises:create"), promise_data, "initiator"),
    Form(
        # Nobody else has pledged yet: every field can change.
        "promise edit",
        "POST",
        lambda w: reverse("promises:edit", args=[w.hidden.slug]),
        promise_data,
        "initiator",
    ),
    Form(
        # Others have pledged: the terms are locked (disabled fields).
        "promise edit, terms locked",
        "POST",
        lambda w: reverse("promises:edit", args=[w.open.slug]),
        promise_data,
        "initiator",
    ),
    Form(
        "invite a co-initiator",
        "POST",
        lambda w: reverse("promises:initiators", args=[w.open.slug]),
        lambda w: {"email": "elsa@example.org"},
        "initiator",
    ),
    Form(
        "post news",
        "POST",
        lambda w: reverse("promises:updates", args=[w.open.slug]),
        lambda w: {"text": "Rendez-vous à 9 h au poste de secours."},
        "initiator",
    ),
    Form(
        "keep",
        "POST",
        lambda w: reverse("discussions:keep", args=[w.reached.slug]),
        lambda w: {"comment": "Trois sacs ramassés."},
        "participant",
    ),
    Form(
        "relaunch",
        "POST",
        lambda w: reverse("promises:relaunch", args=[failed_promise(w).slug]),
        promise_data,
        "initiator",
    ),
    Form(
        "write the recap",
        "POST",
        lambda w: reverse("promises:recap_edit", args=[w.reached.slug]),
        lambda w: {"text": "Nous l'avons fait : 210 kg ramassés."},
        "initiator",
    ),
    Form(
        "correct a published recap",
        "POST",
        lambda w: reverse("promises:recap_edit", args=[finished_promise(w).slug]),
        lambda w: {"text": "Corrigé : 212 kg."},
        "initiator",
    ),
    Form(
        "abandon",
        "POST",
        lambda w: reverse("promises:abandon", args=[w.reached.slug]),
        lambda w: {"reason": "Malade"},
        "participant",
    ),
    Form(
        "new post",
        "POST",
        lambda w: reverse("discussions:post_create", args=[w.open.slug]),
        lambda w: {"text": "J'apporte des gants.", "photo": image_upload(size=(60, 40))},
        "participant",
        uploads=("photo",),
    ),
    Form(
        "reply",
        "POST",
        lambda w: reverse("discussions:comment_create", args=[w.open.slug, w.post.pk]),
        lambda w: {"text": "Oui, 9 h c'est parfait."},
        "initiator",
    ),
    Form(
        "post edit",
        "POST",
        lambda w: reverse("discussions:post_edit", args=[w.open.slug, w.post.pk]),
        lambda w: {"text": "Plutôt 9 h 30."},
        "participant",
    ),
    Form(
        "report",
        "POST",
        lambda w: reverse("discussions:report", args=["message", w.post.pk]),
        lambda w: {"reason": "spam", "details": "Publicité pour un casino."},
        "outsider",
    ),
    Form(
        "profile",
        "POST",
        lambda w: reverse("accounts:profile"),
        lambda w: {"display_name": "Paula", "appears_anonymously": "on"},
        "participant",
    ),
    Form(
        "notification preferences",
        "POST",
        lambda w: reverse("notifications:preferences"),
        lambda w: {t.key: "never" if t.key == TOPIC_OUTCOME else t.default for t in topics()},
        "participant",
    ),
    Form(
        "search and filters",
        "GET",
        lambda w: reverse("promises:list"),
        lambda w: {
            "q": "plage",
            "etat": "open",
            "theme": w.open.themes.get().slug,
            "tri": "proches",
            "page": "1",
        },
        "anonymous",
    ),
    Form(
        "impact report period",
        "GET",
        lambda w: reverse("organisation_report", args=[w.org.slug]),
        lambda w: {
            "du": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
            "au": timezone.localdate().isoformat(),
        },
        "org_admin",
    ),
    Form(
        "organisation create",
        "POST",
        lambda w: reverse("organisations:create"),
        lambda w: {"name": "Les Amis du Parc", "kind": "association", "description": "Au parc."},
        "outsider",
    ),
    Form(
        "sign-up",
        "POST",
        lambda w: reverse("account_signup"),
        lambda w: {
            "display_name": "Nora",
            "email": "nora@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "appears_anonymously": "on",
            "next": "/promesses/",
        },
        "anonymous",
    ),
    Form(
        "log-in",
        "POST",
        lambda w: reverse("account_login"),
        lambda w: {"login": w.users["participant"].email, "password": PASSWORD, "next": "/"},
        "anonymous",
    ),
    Form(
        "password reset",
        "POST",
        lambda w: reverse("account_reset_password"),
        lambda w: {"email": w.users["participant"].email},
        "anonymous",
    ),
    Form(
        "email change",
        "POST",
        lambda w: reverse("account_email"),
        lambda w: {"email": "nouvelle@example.org", "action_add": ""},
        "participant",
    ),
    Form(
        "password change",
        "POST",
        lambda w: reverse("account_change_password"),
        lambda w: {
            "oldpassword": PASSWORD,
            "password1": "Un-autre-2028!",
            "password2": "Un-autre-2028!",
        },
        "participant",
    ),
]

# Django's and allauth's messages when they are not translated.
ENGLISH = re.compile(
    r"\b(this field|enter a|ensure this|select a valid|not allowed|is required|the password)\b",
    re.IGNORECASE,
)


def apply(valid: dict, changes: dict, extra: dict) -> dict:
    data = dict(valid)
    for name, change in changes.items():
        if change is DROP:
            data.pop(name, None)
        else:
            data[name] = change
    return {**extra, **data}


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def _bound_form(response):
    """The form the page shows, if it is the one that was submitted."""
    form = response.context.get("form") if response.context else None
    return form if form is not None and form.is_bound else None


def stays_on_site(location: str) -> bool:
    """A redirect that stays on this site, whatever its length (Django's
    url_has_allowed_host_and_scheme also refuses any URL over 2048 characters, and a long
    hostile `next` percent-encodes past that while staying a harmless relative path)."""
    if location.replace("\\", "/").startswith("//"):
        return False  # scheme-relative: another host
    target = urlsplit(urljoin("http://testserver/", location))
    return target.scheme in ("http", "https") and target.netloc == "testserver"


def submit_and_check(w: World, form: Form, data: dict, *, as_json: bool = False) -> None:
    cache.clear()
    with transaction.atomic():
        client = client_for(w, form.who)
        url = form.url(w)
        before = stored()
        if form.method == "GET":
            response = client.get(url, data)
        elif as_json:
            response = client.post(url, json.dumps(data), content_type="application/json")
        else:
            response = client.post(url, data)

        # allauth answers a JSON request with its errors in JSON, as a 400.
        json_refusal = as_json and response.get("Content-Type") == "application/json"
        assert response.status_code in (200, 302) or (
            response.status_code == 400 and json_refusal
        ), response.status_code
        assert not UNESCAPED.search(response.content.decode()), "a script payload is unescaped"
        if response.status_code == 302:
            location = response["Location"]
            assert stays_on_site(location), location
            shown = client.get(urljoin(url, location))
            assert shown.status_code < 500
            assert not UNESCAPED.search(shown.content.decode()), "a stored payload is unescaped"
        elif form.method == "POST":
            assert stored() == before, "a refused input changed what was stored"
            if (bound := _bound_form(response)) is not None:
                errors = [str(e) for messages in bound.errors.values() for e in messages]
                assert errors, "refused without saying why"
                assert not any(ENGLISH.search(e) for e in errors), errors
        transaction.set_rollback(True)


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_it_survives_hostile_input(world, form):  # noqa: F811
    names = sorted(form.valid(world))
    changes = st.dictionaries(st.sampled_from(names), field_change, min_size=1)
    if form.uploads:
        changes = st.sets(st.sampled_from(names), min_size=1).flatmap(
            lambda changed: st.fixed_dictionaries(
                {n: upload_change if n in form.uploads else field_change for n in changed}
            )
        )
    # Unexpected fields (names as a form could have them: a 10 000-character name gets a 400).
    extra = st.dictionaries(st.text(min_size=1, max_size=30), hostile_value, max_size=2)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(changes=changes, extra=extra, as_json=st.booleans())
    def check(changes, extra, as_json):
        data = apply(form.valid(world), changes, extra)
        files = any(isinstance(v, UploadedFile) for value in data.values() for v in _values(value))
        submit_and_check(world, form, data, as_json=as_json and not extra and not files)

    check()


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_it_refuses_null_characters_in_french(world, form):  # noqa: F811
    """Postgres refuses NUL in text: a form must refuse it first, with a French message."""
    for name in form.valid(world):
        data = {**form.valid(world), name: "avant\x00après"}
        submit_and_check(world, form, data)


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_it_accepts_the_valid_input_of_each_row(world, form):  # noqa: F811
    """The rows' valid data is valid: hostile examples start from a form that works."""
    cache.clear()
    with transaction.atomic():
        client = client_for(world, form.who)
        send = client.get if form.method == "GET" else client.post
        response = send(form.url(world), form.valid(world))
        assert response.status_code == (200 if form.method == "GET" else 302)
        transaction.set_rollback(True)
