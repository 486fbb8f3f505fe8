"""The admin shows the action's period, day of the week and rhythm, and holds a moderator's
correction to the site's rule: the period starts on that day of the week."""

import datetime

import pytest
from django.utils import timezone

from promises.models import Promise
from promises.tests.helpers import page_text
from promises.tests.test_admin import PROMISES, _promise_form


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _a_saturday() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=40)
    return day + datetime.timedelta(days=(Promise.Weekday.SATURDAY - day.weekday()) % 7)


def _post(client, promise, **changes):
    return client.post(f"{PROMISES}{promise.pk}/change/", _promise_form(promise, **changes))


def test_it_shows_the_action_fields_to_the_moderator(moderator_client, promise):
    page = page_text(moderator_client.get(f"{PROMISES}{promise.pk}/change/"))
    for label in ("Fin de l'action", "Chaque semaine, le", "Rythme de l'action"):
        assert label in page
    assert '<option value="5">samedi</option>' in page


def test_it_saves_a_weekday_on_which_the_period_starts(moderator_client, promise):
    saturday = _a_saturday()
    response = _post(
        moderator_client,
        promise,
        action_date=saturday.isoformat(),
        action_end_date=(saturday + datetime.timedelta(days=21)).isoformat(),
        action_weekday=str(Promise.Weekday.SATURDAY.value),
        action_schedule="de 9 h à 12 h",
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.action_weekday == Promise.Weekday.SATURDAY
    assert promise.action_when.startswith("tous les samedis du ")
    assert promise.action_when.endswith(", de 9 h à 12 h")


def test_it_refuses_a_weekday_on_which_the_period_does_not_start(moderator_client, promise):
    sunday = _a_saturday() + datetime.timedelta(days=1)
    response = _post(
        moderator_client,
        promise,
        action_date=sunday.isoformat(),
        action_end_date=(sunday + datetime.timedelta(days=21)).isoformat(),
        action_weekday=str(Promise.Weekday.SATURDAY.value),
    )
    assert response.status_code == 200
    assert "est un dimanche, pas un samedi" in page_text(response)
    promise.refresh_from_db()
    assert promise.action_weekday is None and promise.action_date is None
