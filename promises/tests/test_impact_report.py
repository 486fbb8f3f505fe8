"""The impact report of an organisation, for its admins: over a period they choose (the last
twelve months by default), the promises launched in its name and their bilan figures as a
page, a CSV file for a spreadsheet and a PDF to print, in queries that do not grow with the
number of promises.

Its story: the bilan's (scenarios.py, March 2026), launched for ACME by its animateur Arthur,
read on 10 March in the evening: 6 participants, 4 when reached, 2 on the way, 3 posted a
photo, 2 kept their promise, 2 abandoned. Alice and Bruno, two of them, are ACME's members,
as are its admin and Arthur: 4 members. An internal promise launched on 5 March has Alice
and a newcomer in it."""

import csv
import datetime
import io
import re

import pypdfium2 as pdfium
import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from onpromet.tests.validator import validate
from organisations import services as organisation_services
from organisations.models import Membership, Organisation
from promises import services
from promises.figures import report_figures
from promises.impact import CSV_HEADERS, year_ago
from promises.models import Promise
from promises.tests import scenarios
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.factories import PromiseFactory
from promises.tests.test_browser_recap import logged_in_page

MARCH = {"du": "2026-03-01", "au": "2026-03-10"}


@pytest.fixture(autouse=True)
def _tenth_of_march(db):
    with time_machine.travel(scenarios.NOW, tick=False):
        yield


@pytest.fixture
def admin(db):
    return UserFactory(display_name="Alix")


@pytest.fixture
def acme(admin):
    with time_machine.travel(scenarios.paris(1, 8), tick=False):
        return organisation_services.organisation_create(
            user=admin, name="ACME", kind=Organisation.Kind.COMPANY
        )


def join(organisation, user, role=Membership.Role.MEMBER):
    return Membership.objects.create(
        organisation=organisation, user=user, role=role, via=Membership.Via.INVITATION
    )


@pytest.fixture
def story(acme, initiator):
    """The bilan's story, in ACME's name; Alice and Bruno are members, Arthur its animateur."""
    join(acme, initiator, Membership.Role.ANIMATEUR)
    built = scenarios.build(initiator)
    Promise.objects.filter(pk=built.promise.pk).update(organisation=acme)
    built.promise.refresh_from_db()
    for name in ("alice", "bruno"):
        join(acme, built.people[name])
    return built


@pytest.fixture
def internal(story, acme, initiator):
    """Launched on 5 March for the members only; Alice (a member) and Nina (who joined ACME
    for it) pledge the same day."""
    with time_machine.travel(scenarios.paris(5, 10), tick=False):
        promise = PromiseFactory(
            created_by=initiator,
            organisation=acme,
            visibility=Promise.Visibility.MEMBERS,
            objective=10,
            action="trier les déchets du bureau",
        )
        nina = UserFactory(display_name="Nina")
        join(acme, nina)
        for user in (story.people["alice"], nina):
            services.pledge_create(promise=promise, user=user)
    promise.refresh_from_db()
    return promise


def report_url(organisation, name="organisation_report") -> str:
    return reverse(name, args=[organisation.slug])


def get(client, organisation, name="organisation_report", **params):
    return client.get(report_url(organisation, name), params)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def figure(content: str, label: str) -> str:
    match = re.search(
        rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*><span class=\"figure-number\">([^<]+)<"
        r"(?:/span>(?: <span[^>]*>([^<]*)</span>)?)?",
        content,
    )
    assert match, label
    return " ".join(part for part in match.groups() if part)


# --- Who may read it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["organisation_report", "organisation_report_csv", "organisation_report_pdf"]
)
def test_only_its_admins_may_read_it(client, acme, admin, participant, moderator, superuser, name):
    member, animateur, other_admin = UserFactory(), UserFactory(), UserFactory()
    join(acme, member)
    join(acme, animateur, Membership.Role.ANIMATEUR)
    organisation_services.organisation_create(
        user=other_admin, name="Autre", kind=Organisation.Kind.ASSOCIATION
    )

    response = get(client, acme, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    for user in (participant, member, animateur, other_admin, moderator, superuser):
        client.force_login(user)
        assert get(client, acme, name).status_code == 403, user
    client.force_login(admin)
    assert get(client, acme, name).status_code == 200


def test_a_deactivated_organisation_has_no_report(client, acme, admin):
    Organisation.objects.filter(pk=acme.pk).update(is_active=False)
    client.force_login(admin)
    for name in ("organisation_report", "organisation_report_csv", "organisation_report_pdf"):
        assert get(client, acme, name).status_code == 404


# --- The period -------------------------------------------------------------------------------


def test_it_covers_the_last_twelve_months_by_default(client, acme, admin):
    client.force_login(admin)
    content = html(get(client, acme))
    assert 'name="du" id="id_du" value="2025-03-10"' in content
    assert 'name="au" id="id_au" value="2026-03-10"' in content
    assert "du 10 mars 2025 au 10 mars 2026" in content
    assert "Aucune promesse lancée au nom de ACME sur la période." in content


def test_a_year_ago_of_the_29th_of_february_is_the_28th():
    assert year_ago(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"du": "2026-03-09", "au": "2026-03-01"},
            "du",
            "Le premier jour doit précéder le dernier.",
        ),
        (
            {"du": "2026-03-01", "au": "2026-03-11"},
            "au",
            "La période ne peut pas finir après aujourd&#x27;hui.",
        ),
        (
            {"du": "2010-01-01", "au": "2026-03-01"},
            "du",
            "La période ne peut pas dépasser dix ans.",
        ),
        (
            {"du": "hier", "au": "2026-03-01"},
            "du",
            "Indiquez une date valide, par exemple 01/01/2026.",
        ),
        (
            {"du": "2026-02-30", "au": "2026-03-01"},
            "du",
            "Indiquez une date valide, par exemple 01/01/2026.",
        ),
        (
            {"du": "99999-01-01", "au": "2026-03-01"},
            "du",
            "Indiquez une date valide, par exemple 01/01/2026.",
        ),
        ({"du": "2026-03-01"}, "au", "Indiquez le dernier jour de la période."),
        ({"au": "2026-03-01", "du": ""}, "du", "Indiquez le premier jour de la période."),
        ({"du": "2026-03-01\x00", "au": "2026-03-01"}, "du", "Indiquez une date valide"),
    ],
)
def test_it_refuses_a_wrong_period_in_french(client, acme, admin, params, field, message):
    client.force_login(admin)
    content = html(get(client, acme, **params))
    assert message in content
    assert f'id="id_{field}-erreur"' in content
    assert "En chiffres" not in content
    for name in ("organisation_report_csv", "organisation_report_pdf"):
        response = get(client, acme, name, **params)
        assert response.status_code == 400
        assert response.content.decode().startswith("Période invalide : ")


def test_it_takes_french_dates_too(client, acme, admin):
    client.force_login(admin)
    content = html(get(client, acme, du="01/03/2026", au="10/03/2026"))
    assert "du 1er mars 2026 au 10 mars 2026" in content
    assert 'name="du" id="id_du" value="2026-03-01"' in content  # as <input type="date"> holds it


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["du", "au", "page"]),
        st.one_of(
            st.text(max_size=300),
            st.dates().map(str),
            st.lists(st.text(max_size=12)),
            st.just('<script>alert("x")</script>'),
        ),
    )
)
def test_it_survives_any_period(client, acme, admin, params):
    """Whatever the address holds: the page answers 200, the files 200 or 400, never a 500,
    and nothing typed comes back unescaped."""
    client.force_login(admin)
    for name in ("organisation_report", "organisation_report_csv"):
        response = get(client, acme, name, **params)
        assert response.status_code in ((200,) if name == "organisation_report" else (200, 400))
        assert '<script>alert("x")' not in response.content.decode()


# --- The figures ------------------------------------------------------------------------------


def test_it_counts_the_promises_launched_in_the_period(client, acme, admin, story, internal):
    with time_machine.travel(scenarios.paris(1, 7), tick=False):  # before the period: left out
        PromiseFactory(created_by=admin, organisation=acme, action="aller trop tôt au parc")
    PromiseFactory(created_by=admin, action="aller ailleurs sans ACME")  # not in its name
    hidden = PromiseFactory(created_by=admin, organisation=acme, action="aller se cacher")
    services.promise_set_hidden(promise=hidden, hidden=True)  # hidden by the moderation
    client.force_login(admin)

    content = html(get(client, acme, du="2026-03-02", au="2026-03-10"))

    assert figure(content, "Promesses lancées") == "2"
    assert figure(content, "Objectif atteint") == "1"
    # Alice, Bruno, Chloé, Denis, Emma, Farid; Nina; Alice again (once).
    assert figure(content, "Participants (personnes distinctes)") == "7"
    # Alice, Bruno and Nina of its 5 members (Alix, Arthur, Alice, Bruno, Nina).
    assert figure(content, "Membres participants") == "3 · 60 % des 5 membres"
    # Of the 8 participations: the story's 6, the internal promise's 2.
    assert figure(content, "Ont tenu leur promesse") == "2 · 25 %"
    assert figure(content, "Ont posté une photo") == "3 · 38 %"
    assert figure(content, "Ont rejoint en cours de route") == "2 · 25 %"
    assert figure(content, "Ont abandonné") == "2 · 25 %"
    assert "8 participations" in content
    for left_out in ("trop tôt", "ailleurs sans", "se cacher"):
        assert left_out not in content
    # The table: each promise with its figures and who started it (a member: his name).
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", content, re.S)
    assert len(rows) == 2
    assert "ramasser les déchets le long du canal" in rows[0] and "par Arthur" in rows[0]
    assert "trier les déchets du bureau" in rows[1] and "interne" in rows[1]


def test_its_chart_adds_up_the_promises_day_after_day(client, acme, admin, story, internal):
    client.force_login(admin)
    content = html(get(client, acme, **MARCH))

    chart = re.search(r'<svg class="pledge-chart".*?</svg>', content, re.S).group(0)
    assert 'role="img"' in chart and '<title id="courbe-rapport-titre">' in chart
    # 1 March: nothing yet; the story's line (scenarios.SERIES), plus 2 from 5 March on.
    assert (
        "du 1er mars 2026 au 10 mars 2026 : 6 personnes au dernier jour, 8 personnes au plus."
        in chart
    )
    points = re.search(r'<polyline class="chart-line" points="([^"]+)"', chart).group(1)
    assert len(points.split()) == 10


def test_the_figures_are_computed_in_constant_queries(acme, story, django_assert_num_queries):
    with django_assert_num_queries(5):
        figures = report_figures(
            [story.promise],
            organisation=acme,
            start=datetime.date(2026, 3, 1),
            end=datetime.date(2026, 3, 10),
        )
    assert [value for _, value in figures.series] == [0] + [v for _, v in scenarios.SERIES]
    assert (figures.participants, figures.participants_members, figures.members) == (6, 2, 4)
    assert (figures.kept, figures.posted_photo, figures.joined_late, figures.abandoned) == (
        2,
        3,
        2,
        2,
    )


def _many(acme, admin, count):
    people = UserFactory.create_batch(3)
    for user in people:
        join(acme, user)
    for i in range(count):
        promise = PromiseFactory(
            created_by=admin,
            organisation=acme,
            objective=2,
            visibility=Promise.Visibility.MEMBERS if i % 2 else Promise.Visibility.PUBLIC,
            action=f"aller planter l'arbre numéro {i}",
        )
        for user in people[: 1 + i % 3]:
            services.pledge_create(promise=promise, user=user)


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize(
    ("name", "queries"),
    # Session, user, organisation, membership; the promises, the starters, the figures (5).
    [("organisation_report", 11), ("organisation_report_csv", 11), ("organisation_report_pdf", 11)],
)
def test_its_queries_do_not_grow_with_the_promises(
    client, acme, admin, django_assert_max_num_queries, count, name, queries
):
    _many(acme, admin, count)
    client.force_login(admin)
    with django_assert_max_num_queries(queries):
        response = get(client, acme, name, **MARCH)
    assert response.status_code == 200


# --- The CSV file -----------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # for Excel
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_its_csv_has_one_row_per_promise_with_french_headers(
    client, acme, admin, story, internal, settings
):
    settings.SITE_URL = "https://onpromet.example"
    client.force_login(admin)
    response = get(client, acme, "organisation_report_csv", **MARCH)
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-acme-2026-03-01-2026-03-10.csv"'
    )

    header, *rows = _csv(response)

    assert tuple(header) == CSV_HEADERS
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    assert row == {
        "Promesse": story.promise.sentence,
        "Adresse": f"https://onpromet.example/promesses/{story.promise.slug}/",
        "Visibilité": "publique",
        "État": "objectif atteint",
        "Lancée le": "02/03/2026",
        "Démarrée par": "Arthur",
        "Objectif": "4",
        "Objectif atteint le": "06/03/2026",
        "Participants": "6",
        "Au moment de l'objectif": "4",
        "En cours de route": "2",
        "Ont posté une photo": "3",
        "Ont tenu leur promesse": "2",
        "Ont abandonné": "2",
        "Venus par le lien d'un participant": "0",
    }
    internal_row = dict(zip(header, rows[1], strict=True))
    assert internal_row["Visibilité"] == "réservée aux membres de l'organisation"
    assert internal_row["Au moment de l'objectif"] == ""  # not reached
    assert internal_row["Participants"] == "2"


def test_its_csv_names_only_members_who_allow_it(client, acme, admin, initiator):
    anonymous = UserFactory(display_name='=HYPERLINK("x")', appears_anonymously=True)
    join(acme, anonymous, Membership.Role.ANIMATEUR)
    formula = UserFactory(display_name='=HYPERLINK("http://x")')
    join(acme, formula, Membership.Role.ANIMATEUR)
    gone = UserFactory(display_name="Gaston")
    join(acme, gone, Membership.Role.ANIMATEUR)
    for user in (anonymous, formula, gone):
        PromiseFactory(created_by=user, organisation=acme, action=f"aller voir {user.pk}")
    Membership.objects.filter(organisation=acme, user=gone).delete()  # he left ACME
    client.force_login(admin)

    body = get(client, acme, "organisation_report_csv", **MARCH).content.decode()
    header, *rows = _csv(get(client, acme, "organisation_report_csv", **MARCH))

    starters = [dict(zip(header, row, strict=True))["Démarrée par"] for row in rows]
    assert starters == ["Anonyme", '\'=HYPERLINK("http://x")', "Ancien membre"]
    assert "Gaston" not in body
    for user in (anonymous, formula, gone, admin):
        assert user.email not in body


# --- The PDF ---------------------------------------------------------------------------------


def _pdf(response) -> pdfium.PdfDocument:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return pdfium.PdfDocument(response.content)


def _text(page) -> str:
    return " ".join(page.get_textpage().get_text_range().replace("\u00a0", " ").split())


def test_its_pdf_prints_the_figures_the_chart_and_the_promises(
    client, acme, admin, story, internal
):
    client.force_login(admin)
    response = get(client, acme, "organisation_report_pdf", **MARCH)
    assert response["Content-Disposition"] == (
        'inline; filename="rapport-acme-2026-03-01-2026-03-10.pdf"'
    )
    document = _pdf(response)

    assert len(document) == 1
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4
    text = _text(document[0])
    for words in (
        "OnPromet",
        "Rapport d'impact",
        "ACME",
        "Entreprise · non vérifiée par OnPromet",
        "Promesses lancées du 1er mars 2026 au 10 mars 2026",
        "Participants 7 personnes distinctes",
        "Membres participants 3 60 % des 5 membres",
        "Ont tenu leur promesse 2 25 % des participations",
        "Les promesses au fil du temps",
        "6 personnes au dernier jour, 8 personnes au plus.",
        "Je promets de ramasser les déchets le long du canal",
        "objectif atteint 6 2 3 2",
        "Je promets de trier les déchets du bureau",
    ):
        assert words in text, words
    document[0].render(scale=1.5).to_pil().save(SCREENSHOTS_DIR / "impact-report-pdf.png")


def test_its_pdf_continues_the_table_on_more_pages(client, acme, admin):
    with time_machine.travel(scenarios.paris(2), tick=False):
        for i in range(60):
            PromiseFactory(
                created_by=admin,
                organisation=acme,
                objective=3,
                action=f"aller planter l'arbre numéro {i:02d}",
            )
    client.force_login(admin)

    document = _pdf(get(client, acme, "organisation_report_pdf", **MARCH))

    assert len(document) >= 2
    text = " ".join(_text(page) for page in document)
    for i in range(60):
        assert f"aller planter l'arbre numéro {i:02d}" in text
    assert "page 2" in _text(document[1])
    document[1].render(scale=1.5).to_pil().save(SCREENSHOTS_DIR / "impact-report-pdf-2.png")


def test_its_pdf_says_when_there_is_no_promise(client, acme, admin):
    client.force_login(admin)
    text = _text(_pdf(get(client, acme, "organisation_report_pdf", **MARCH))[0])
    assert "Aucune promesse lancée sur la période." in text


# --- In a browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("viewport", "name"), [(DESKTOP, "impact-report"), (PHONE, "impact-report-phone")]
)
def test_an_admin_reads_the_report_in_a_browser(
    live_server, new_page, browser_errors, acme, admin, story, internal, viewport, name
):
    page = logged_in_page(new_page, live_server, admin, viewport)
    page.goto(live_server.url + acme.get_absolute_url())
    page.get_by_role("link", name="Rapport d'impact").click()
    page.get_by_role("heading", name="Rapport d'impact").wait_for()

    page.get_by_label("Du", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Afficher").click()
    page.get_by_text("du 1er mars 2026 au 10 mars 2026").first.wait_for()

    chart = page.get_by_role("img", name="Les promesses au fil du temps")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 300
    assert page.get_by_role("link", name="Imprimer le rapport (PDF)").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}.png", full_page=True)
    assert browser_errors == []


def test_its_pages_are_valid_html(client, acme, admin, story, internal):
    """The Nu HTML Checker on the report (with its figures, its chart, its table, and with a
    refused period) and on the organisation's page as its admin sees it."""
    client.force_login(admin)
    pages = {
        "report": html(get(client, acme, **MARCH)),
        "refused period": html(get(client, acme, du="hier", au="2026-03-01")),
        "organisation page": html(client.get(acme.get_absolute_url())),
    }
    assert validate(pages) == []
