"""Relancer: from a failed promise, an initiator creates a new one pre-filled from it; the
former participants get one email; nobody is pledged without clicking."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.models import Broadcast
from notifications.services import recipients
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import RELAUNCH
from promises.models import Pledge, Promise


def _fail(promise) -> Promise:
    with time_machine.travel(promise.deadline + datetime.timedelta(minutes=1)):
        services.promises_fail_expired()
    promise.refresh_from_db()
    assert promise.state == Promise.State.FAILED
    return promise


def _data(promise, **changes) -> dict:
    return {
        "action": promise.action,
        "objective": "2",
        "deadline": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
        "description": promise.description,
        "themes": [t.pk for t in promise.themes.all()],
        "city": promise.city,
        **changes,
    }


def test_it_pre_fills_the_create_form(client, pledged, initiator):
    failed = _fail(pledged)
    client.force_login(initiator)
    response = client.get(reverse("promises:relaunch", args=[failed.slug]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["action"] == failed.action
    assert form.initial["objective"] == failed.objective
    assert form.initial["deadline"] > timezone.localdate()
    assert "Relancer la promesse" in response.content.decode()


def test_it_keeps_a_weekly_rhythm_still_to_come(client, pledged, initiator):
    # A period of Tuesdays far enough ahead to stay after the new deadline.
    start = timezone.localdate() + datetime.timedelta(days=400)
    start += datetime.timedelta(days=(1 - start.weekday()) % 7)
    Promise.objects.filter(pk=pledged.pk).update(
        action_date=start, action_end_date=start + datetime.timedelta(days=56), action_weekday=1
    )
    failed = _fail(pledged)
    client.force_login(initiator)
    response = client.get(reverse("promises:relaunch", args=[failed.slug]))
    assert response.context["form"].initial["action_weekday"] == 1


def test_it_relaunches_and_invites_the_former_participants_once(
    client, smtp, pledged, initiator, participant
):
    failed = _fail(pledged)
    client.force_login(initiator)

    response = client.post(reverse("promises:relaunch", args=[failed.slug]), _data(failed))

    relaunch = Promise.objects.get(relaunched_from=failed)
    assert response["Location"] == relaunch.get_absolute_url()
    assert relaunch.objective == 2 and relaunch.is_open
    # Nobody is pledged for them: only the initiator.
    assert list(relaunch.pledges.values_list("user", "is_initiator")) == [(initiator.pk, True)]
    broadcast = Broadcast.objects.get(kind=RELAUNCH)
    assert broadcast.promise == relaunch
    send_broadcast(broadcast.pk)
    send_broadcast(broadcast.pk)
    assert list(smtp.recipients.items()) == [(participant.email, 1)]
    text = smtp.messages[0].get_body(("plain",)).get_content()
    assert relaunch.get_absolute_url() in text and "Je promets" in text


def test_it_skips_those_who_already_promised_again(pledged, initiator, participant):
    failed = _fail(pledged)
    relaunch = services.promise_relaunch(
        promise=failed,
        created_by=initiator,
        data={
            "action": failed.action,
            "objective": 2,
            "deadline": timezone.now() + datetime.timedelta(days=10),
            "description": "x",
            "city": "Lyon",
            "themes": list(failed.themes.all()),
        },
    )
    services.pledge_create(promise=relaunch, user=participant)  # one click, on the new page
    assert Pledge.objects.get(promise=relaunch, user=participant).is_active
    assert not recipients(Broadcast.objects.get(kind=RELAUNCH)).exists()


def test_it_relaunches_only_a_failed_promise(client, pledged, initiator):
    client.force_login(initiator)
    response = client.get(reverse("promises:relaunch", args=[pledged.slug]))
    assert response.status_code == 403
    assert "Relancer" not in client.get(pledged.get_absolute_url()).content.decode()
