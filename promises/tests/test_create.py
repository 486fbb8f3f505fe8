import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from promises.models import Pledge, Promise
from promises.tests.factories import ThemeFactory
from promises.tests.helpers import page_text

URL = reverse("promises:create")


@pytest.fixture
def form_data(db):
    theme = ThemeFactory(name="Environnement", slug="environnement")
    return {
        "action": "aller nettoyer la plage de Biscarosse le samedi 8 juillet",
        "objective": "50",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "action_date": "",
        "description": "On se retrouve au poste de secours.",
        "themes": [theme.pk],
        "city": "Biscarosse",
    }


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_the_form(client, initiator):
    client.force_login(initiator)
    text = page_text(client.get(URL))
    assert "Je promets de…" in text
    assert "Lancer une promesse" in text


def test_it_creates_the_promise_with_its_initiator_as_first_participant(
    client, initiator, form_data
):
    client.force_login(initiator)
    response = client.post(URL, form_data)
    promise = Promise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == promise.get_absolute_url()
    assert promise.created_by == initiator
    assert promise.objective == 50
    assert timezone.localtime(promise.deadline).time() == datetime.time(23, 59, 59)
    assert list(promise.themes.values_list("slug", flat=True)) == ["environnement"]
    pledge = Pledge.objects.get(promise=promise)
    assert pledge.user == initiator and pledge.is_initiator
    assert promise.pledge_count == 0


def test_it_normalises_the_action(client, initiator, form_data):
    client.force_login(initiator)
    client.post(URL, {**form_data, "action": "  d'aller   nettoyer la plage. "})
    assert Promise.objects.get().sentence.startswith("Je promets d'aller nettoyer la plage, si 50")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("objective", "0", "entre 1 et 1 000 000"),
        ("objective", "1000001", "entre 1 et 1 000 000"),
        ("objective", "-5", "entre 1 et 1 000 000"),
        ("objective", "beaucoup", "nombre entier"),
        ("action", "courir", "au moins 10 caractères"),
        ("action", "a" * 201, "au plus 200 caractères"),
        ("action", "", "Complétez la phrase"),
        ("description", "   ", "Décrivez votre promesse"),
        ("city", "", "Indiquez une ville"),
        ("themes", [], "au moins un thème"),
        ("deadline", "2000-01-01", "dans le futur"),
        ("deadline", "pas une date", "date valide"),
    ],
)
def test_it_refuses_bad_input_with_a_french_message(
    client, initiator, form_data, field, value, message
):
    client.force_login(initiator)
    response = client.post(URL, {**form_data, field: value})
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Promise.objects.exists()


def test_it_refuses_a_deadline_more_than_a_year_ahead(client, initiator, form_data):
    client.force_login(initiator)
    far = timezone.localdate() + datetime.timedelta(days=400)
    response = client.post(URL, {**form_data, "deadline": far.isoformat()})
    assert "au plus tard dans un an" in page_text(response)
    assert not Promise.objects.exists()


def test_it_keeps_what_was_typed_when_refusing(client, initiator, form_data):
    client.force_login(initiator)
    response = client.post(URL, {**form_data, "objective": "0"})
    assert "On se retrouve au poste de secours." in page_text(response)


# In May 2027: Tuesday 6 July to Thursday 30 September 2027 is to come.
MAY_2027 = datetime.datetime(2027, 5, 3, 12, tzinfo=datetime.UTC)


def _weekly(form_data: dict, **changes) -> dict:
    return {
        **form_data,
        "deadline": "2027-06-30",
        "action_date": "2027-07-06",
        "action_end_date": "2027-09-30",
        "action_weekday": str(Promise.Weekday.TUESDAY.value),
        "action_schedule": "de 9 h à 12 h",
        **changes,
    }


def test_it_creates_a_weekly_action_and_shows_its_rhythm(client, initiator, form_data):
    with time_machine.travel(MAY_2027):
        client.force_login(initiator)  # in May: a session opened today would have expired
        response = client.post(URL, _weekly(form_data))
        promise = Promise.objects.get()
        assert response.status_code == 302
        page = page_text(client.get(promise.get_absolute_url()))
    assert promise.action_weekday == Promise.Weekday.TUESDAY
    assert promise.action_schedule == "de 9 h à 12 h"
    assert "Tous les mardis du 6 juillet au 30 septembre 2027, de 9 h à 12 h" in page


def test_it_refuses_a_weekly_action_whose_first_day_is_another_weekday(
    client, initiator, form_data
):
    with time_machine.travel(MAY_2027):
        client.force_login(initiator)  # in May: a session opened today would have expired
        response = client.post(URL, _weekly(form_data, action_date="2027-07-08"))
    assert response.status_code == 200
    assert (
        "Le 8 juillet 2027 est un jeudi, pas un mardi : choisissez un mardi comme premier "
        "jour, ou un autre jour de la semaine." in page_text(response)
    )
    assert not Promise.objects.exists()


def test_it_offers_the_days_of_the_week_after_the_period(client, initiator):
    client.force_login(initiator)
    form = client.get(URL).context["form"]
    names = list(form.fields)
    assert names.index("action_end_date") + 1 == names.index("action_weekday")
    assert names.index("action_weekday") + 1 == names.index("action_schedule")
    assert [label for _, label in form.fields["action_weekday"].choices] == [
        "Pas chaque semaine", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
        "dimanche",
    ]  # fmt: skip


def test_it_records_the_time_and_the_format_and_a_remote_one_has_no_place(
    client, participant, form_data
):
    client.force_login(participant)
    form_data.update(duration="quotidien", format="a-distance", city="")
    response = client.post(URL, form_data)
    assert response.status_code == 302
    promise = Promise.objects.get(created_by=participant)
    assert (promise.duration, promise.format) == ("quotidien", "a-distance")
    assert promise.commune is None and promise.city == "À distance"


def test_without_the_time_and_the_format_it_keeps_the_defaults(client, participant, form_data):
    client.force_login(participant)
    assert client.post(URL, form_data).status_code == 302
    promise = Promise.objects.get(created_by=participant)
    assert (promise.duration, promise.format) == ("demi-journee", "sur-place")
