"""The action's date or period: in the form, in French on the page."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from promises import text
from promises.forms import PromiseForm
from promises.models import Promise
from promises.tests.factories import ThemeFactory
from promises.tests.helpers import page_text

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "schedule", "expected"),
    [
        (D(2027, 7, 10), None, "", "le samedi 10 juillet 2027"),
        (D(2027, 7, 10), D(2027, 7, 10), "", "le samedi 10 juillet 2027"),
        (D(2027, 1, 7), D(2027, 6, 30), "tous les mardis",
         "du 7 janvier au 30 juin 2027, tous les mardis"),
        (D(2027, 1, 7), D(2027, 1, 30), "", "du 7 au 30 janvier 2027"),
        (D(2026, 12, 7), D(2027, 1, 1), "", "du 7 décembre 2026 au 1er janvier 2027"),
        (D(2027, 1, 5), None, "tous  les mardis", "à partir du 5 janvier 2027, tous les mardis"),
        (None, None, "", ""),
    ],
)  # fmt: skip
def test_it_says_when_in_french(start, end, schedule, expected):
    assert text.action_period(start, end, schedule) == expected


def _data(**changes) -> dict:
    today = timezone.localdate()
    return {
        "action": "aller planter des arbres au parc",
        "objective": "4",
        "deadline": (today + datetime.timedelta(days=20)).isoformat(),
        "action_date": (today + datetime.timedelta(days=30)).isoformat(),
        "action_end_date": (today + datetime.timedelta(days=60)).isoformat(),
        "action_schedule": "tous les mardis",
        "description": "Pelles fournies.",
        "themes": [ThemeFactory().pk],
        "city": "Lyon",
        **changes,
    }


@pytest.mark.django_db
def test_it_accepts_a_period():
    form = PromiseForm(_data())
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_it_refuses_an_end_before_the_start():
    today = timezone.localdate()
    form = PromiseForm(_data(action_end_date=(today + datetime.timedelta(days=29)).isoformat()))
    assert form.errors["action_end_date"] == ["La fin de l'action ne peut pas précéder son début."]


@pytest.mark.django_db
def test_it_refuses_an_end_or_a_schedule_without_a_start():
    form = PromiseForm(_data(action_date=""))
    assert form.errors["action_date"] == ["Indiquez aussi la date de début de l'action."]
    form = PromiseForm(_data(action_date="", action_end_date=""))
    assert form.errors["action_date"] == ["Indiquez la date de début de l'action."]


def test_it_creates_a_promise_with_its_period_and_shows_it(client, initiator):
    client.force_login(initiator)
    data = _data(action_date="2027-01-07", action_end_date="2027-06-30")
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        response = client.post(reverse("promises:create"), data)
        assert response.status_code == 302, response.context["form"].errors
        promise = Promise.objects.get(city="Lyon")
        assert (promise.action_date, promise.action_end_date) == (D(2027, 1, 7), D(2027, 6, 30))
        assert promise.action_schedule == "tous les mardis"
        page = page_text(client.get(promise.get_absolute_url()))
    assert "Du 7 janvier au 30 juin 2027, tous les mardis" in page
    assert "Ajouter à mon agenda" in page


def test_it_edits_the_period(client, promise, initiator):
    client.force_login(initiator)
    form = client.get(reverse("promises:edit", args=[promise.slug])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(_data(action_schedule="le week-end"))
    data["themes"] = [t.pk for t in promise.themes.all()]
    response = client.post(reverse("promises:edit", args=[promise.slug]), data)
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.action_schedule == "le week-end"
    assert promise.action_end_date == timezone.localdate() + datetime.timedelta(days=60)


# --- An action on one day of each week ---------------------------------------------------------

TUESDAY = Promise.Weekday.TUESDAY


@pytest.mark.parametrize(
    ("start", "end", "weekday", "schedule", "expected"),
    [
        (D(2027, 7, 6), D(2027, 9, 30), TUESDAY, "",
         "tous les mardis du 6 juillet au 30 septembre 2027"),
        (D(2027, 7, 6), D(2027, 9, 30), TUESDAY, " de 9 h  à 12 h",
         "tous les mardis du 6 juillet au 30 septembre 2027, de 9 h à 12 h"),
        (D(2026, 12, 1), D(2027, 3, 30), TUESDAY, "",
         "tous les mardis du 1er décembre 2026 au 30 mars 2027"),
        (D(2027, 7, 3), D(2027, 7, 31), Promise.Weekday.SATURDAY, "",
         "tous les samedis du 3 au 31 juillet 2027"),
        (D(2027, 7, 4), D(2027, 8, 29), Promise.Weekday.SUNDAY, "",
         "tous les dimanches du 4 juillet au 29 août 2027"),
        # Set in the admin or before the form checked it: from the first Tuesday.
        (D(2027, 7, 8), D(2027, 9, 30), TUESDAY, "",
         "tous les mardis du 13 juillet au 30 septembre 2027"),
        # Without a period, or with only one Tuesday in it: one day.
        (D(2027, 7, 6), None, TUESDAY, "", "le mardi 6 juillet 2027"),
        (D(2027, 7, 6), D(2027, 7, 10), TUESDAY, "", "du 6 au 10 juillet 2027"),
    ],
)  # fmt: skip
def test_it_says_a_weekly_rhythm_in_french(start, end, weekday, schedule, expected):
    promise = Promise(
        action_date=start, action_end_date=end, action_weekday=weekday, action_schedule=schedule
    )
    assert promise.action_when == expected


def _weekly(**changes) -> dict:
    weekly = {
        "action_date": "2027-07-06",
        "action_end_date": "2027-09-30",
        "action_weekday": str(TUESDAY.value),
        "action_schedule": "de 9 h à 12 h",
    }
    return _data(**{**weekly, **changes})


@pytest.fixture
def in_may_2027():
    with time_machine.travel(datetime.datetime(2027, 5, 3, 12, tzinfo=datetime.UTC)):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("in_may_2027")
def test_it_accepts_a_weekday_on_which_the_period_starts():
    form = PromiseForm(_weekly())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["action_weekday"] == TUESDAY


@pytest.mark.django_db
@pytest.mark.usefixtures("in_may_2027")
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2027-07-08", "Le 8 juillet 2027 est un jeudi, pas un mardi : choisissez un mardi "
         "comme premier jour, ou un autre jour de la semaine."),
        ("2027-07-01", "Le 1er juillet 2027 est un jeudi, pas un mardi : choisissez un mardi "
         "comme premier jour, ou un autre jour de la semaine."),
    ],
)  # fmt: skip
def test_it_refuses_a_period_that_starts_on_another_weekday(start, expected):
    form = PromiseForm(_weekly(action_date=start))
    assert form.errors == {"action_weekday": [expected]}


@pytest.mark.django_db
@pytest.mark.usefixtures("in_may_2027")
def test_it_refuses_a_weekday_without_a_period():
    form = PromiseForm(_weekly(action_end_date=""))
    assert form.errors == {
        "action_end_date": [
            "Une action chaque semaine a lieu sur une période : indiquez aussi sa fin."
        ]
    }
    form = PromiseForm(_weekly(action_date="", action_end_date=""))
    assert form.errors["action_date"] == ["Indiquez la date de début de l'action."]


@pytest.mark.django_db
@pytest.mark.usefixtures("in_may_2027")
def test_it_refuses_a_period_with_only_one_such_day():
    form = PromiseForm(_weekly(action_end_date="2027-07-12"))
    assert form.errors == {
        "action_end_date": [
            "Du 6 au 12 juillet 2027, il n'y a qu'un mardi : choisissez une fin au moins une "
            "semaine plus tard, ou aucun jour de la semaine."
        ]
    }
    assert PromiseForm(_weekly(action_end_date="2027-07-13")).is_valid()


@pytest.mark.django_db
@pytest.mark.usefixtures("in_may_2027")
def test_it_judges_the_weekday_only_once_the_dates_are_right():
    form = PromiseForm(_weekly(action_date="2027-07-08", action_end_date="2027-07-01"))
    assert form.errors == {
        "action_end_date": ["La fin de l'action ne peut pas précéder son début."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("weekday", ["7", "-1", "mardi", "1.5"])
def test_it_refuses_an_unknown_weekday_in_french(weekday):
    form = PromiseForm(_data(action_weekday=weekday))
    assert form.errors["action_weekday"] == [
        f"Sélectionnez un choix valide. {weekday} n’en fait pas partie."
    ]


@pytest.mark.django_db
def test_it_keeps_a_period_without_weekday_as_before():
    form = PromiseForm(_data(action_weekday=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["action_weekday"] is None
