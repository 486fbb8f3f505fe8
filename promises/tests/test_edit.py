import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Promise
from promises.tests.helpers import page_text


def edit_url(promise):
    return reverse("promises:edit", args=[promise.slug])


def data_for(promise, **changes):
    data = {
        "action": promise.action,
        "objective": promise.objective,
        "deadline": timezone.localtime(promise.deadline).date().isoformat(),
        "action_date": "",
        "description": promise.description,
        "themes": [t.pk for t in promise.themes.all()],
        "city": promise.city,
    }
    return {**data, **changes}


def test_it_lets_the_initiator_change_everything_while_alone(client, promise, initiator):
    client.force_login(initiator)
    new_deadline = timezone.localdate() + datetime.timedelta(days=90)
    response = client.post(
        edit_url(promise),
        data_for(
            promise,
            action="planter des arbres au parc",
            objective=12,
            deadline=new_deadline.isoformat(),
        ),
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.action == "planter des arbres au parc"
    assert promise.objective == 12
    assert timezone.localtime(promise.deadline).date() == new_deadline


def test_it_locks_the_terms_once_someone_else_has_pledged(client, pledged, initiator):
    client.force_login(initiator)
    page = page_text(client.get(edit_url(pledged)))
    assert "d'autres personnes ont déjà promis" in page.lower()
    response = client.post(
        edit_url(pledged),
        data_for(
            pledged,
            action="autre chose entièrement",
            objective=999,
            description="Nouvelle description",
            action_date="2099-01-01",
        ),
    )
    assert response.status_code == 302
    pledged.refresh_from_db()
    assert pledged.objective == 3
    assert pledged.action != "autre chose entièrement"
    assert pledged.description == "Nouvelle description"
    assert pledged.action_date == datetime.date(2099, 1, 1)


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_it_forbids_others_to_edit(client, pledged, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url(pledged)).status_code == 403
    assert (
        client.post(edit_url(pledged), data_for(pledged, description="pirate")).status_code == 403
    )
    pledged.refresh_from_db()
    assert pledged.description != "pirate"


def test_it_sends_anonymous_visitors_to_login(client, promise):
    response = client.get(edit_url(promise))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_lets_the_initiator_cancel_after_confirmation(client, promise, initiator):
    client.force_login(initiator)
    url = reverse("promises:cancel", args=[promise.slug])
    assert "Annuler la promesse ?" in page_text(client.get(url))
    promise.refresh_from_db()
    assert promise.state == Promise.State.OPEN  # GET only asks.
    response = client.post(url)
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.state == Promise.State.CANCELLED


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_it_forbids_others_to_cancel(client, pledged, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("promises:cancel", args=[pledged.slug])).status_code == 403
    pledged.refresh_from_db()
    assert pledged.state == Promise.State.OPEN


def test_it_lets_the_initiator_choose_a_weekday_once_others_have_pledged(
    client, pledged, initiator
):
    # The day of the week is not one of the terms people pledged on: it stays editable.
    client.force_login(initiator)
    start = timezone.localdate() + datetime.timedelta(days=40)
    start += datetime.timedelta(days=(Promise.Weekday.SATURDAY - start.weekday()) % 7)
    end = start + datetime.timedelta(days=28)
    response = client.post(
        edit_url(pledged),
        data_for(
            pledged,
            action_date=start.isoformat(),
            action_end_date=end.isoformat(),
            action_weekday=str(Promise.Weekday.SATURDAY.value),
        ),
    )
    assert response.status_code == 302
    pledged.refresh_from_db()
    assert pledged.action_weekday == Promise.Weekday.SATURDAY
    assert pledged.action_when.startswith("tous les samedis du ")


def test_it_refuses_to_move_a_weekly_action_to_another_weekday(client, promise, initiator):
    client.force_login(initiator)
    start = timezone.localdate() + datetime.timedelta(days=40)
    start += datetime.timedelta(days=(Promise.Weekday.SATURDAY - start.weekday()) % 7)
    Promise.objects.filter(pk=promise.pk).update(
        action_date=start,
        action_end_date=start + datetime.timedelta(days=28),
        action_weekday=Promise.Weekday.SATURDAY,
    )
    promise.refresh_from_db()
    sunday = start + datetime.timedelta(days=1)
    form = client.get(edit_url(promise)).context["form"]
    assert form.initial["action_weekday"] == Promise.Weekday.SATURDAY

    response = client.post(
        edit_url(promise),
        data_for(
            promise,
            action_date=sunday.isoformat(),
            action_end_date=promise.action_end_date.isoformat(),
            action_weekday=str(Promise.Weekday.SATURDAY.value),
        ),
    )
    assert response.status_code == 200
    assert "est un dimanche, pas un samedi" in page_text(response)
    promise.refresh_from_db()
    assert promise.action_date == start

    response = client.post(
        edit_url(promise),
        data_for(promise, action_date=sunday.isoformat(), action_weekday=""),
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert (promise.action_date, promise.action_weekday) == (sunday, None)
