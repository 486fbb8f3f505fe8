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
