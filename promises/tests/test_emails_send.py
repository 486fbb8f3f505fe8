"""The delivery task, run for real against a real SMTP server on 127.0.0.1."""

import datetime
import re

import time_machine

from accounts.tests.factories import UserFactory
from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import CANCELLED, FAILED, JOINED_LATE, REACHED
from promises.tests.factories import reach


def _body(message, subtype):
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset())
    raise AssertionError(f"no text/{subtype} part")


def test_it_sends_the_call_to_act_to_every_participant_and_initiator(smtp, promise, initiator):
    people = reach(promise)
    broadcast = Broadcast.objects.get(kind=REACHED)

    totals = send_broadcast(broadcast.pk)

    assert totals["sent"] == promise.objective + 1
    assert sorted(smtp.recipients) == sorted([initiator.email, *(u.email for u in people)])
    assert set(smtp.recipients.values()) == {1}
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_it_writes_a_complete_email_in_french(smtp, promise, settings):
    settings.SITE_URL = "https://onpromet.example"
    Promise = type(promise)
    Promise.objects.filter(pk=promise.pk).update(action_date=datetime.date(2027, 7, 8))
    reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)

    message = smtp.messages[0]
    assert message["Subject"] == "Objectif atteint\u00a0: passez à l'action\u00a0!"
    text, html = _body(message, "plain"), _body(message, "html")
    for body in (text, html):
        assert "aller nettoyer la plage de Biscarosse" in body
        assert "jeudi 8 juillet 2027" in body
        assert "Prévoir des gants." in body
        assert f"https://onpromet.example/promesses/{promise.slug}/" in body
        assert "https://onpromet.example/notifications/desabonnement/" in body
    unsubscribe = re.fullmatch(
        r"<(https://onpromet\.example/notifications/desabonnement/\S+/)>",
        message["List-Unsubscribe"].strip(),
    )
    assert unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<img" not in html  # No remote image needed to read it.


def test_it_sends_nothing_more_when_run_again(smtp, promise):
    reach(promise)
    broadcast = Broadcast.objects.get(kind=REACHED)
    send_broadcast(broadcast.pk)
    sent = len(smtp.messages)
    send_broadcast(broadcast.pk)
    assert len(smtp.messages) == sent
    assert Delivery.objects.filter(broadcast=broadcast).count() == sent


def test_it_welcomes_a_late_joiner_with_the_call_to_act(smtp, promise):
    late = reach(promise, extra=1)[-1]
    send_broadcast(Broadcast.objects.get(kind=JOINED_LATE).pk)
    assert list(smtp.recipients) == [late.email]
    assert "Bienvenue" in smtp.messages[0]["Subject"]


def test_it_releases_participants_and_gives_initiators_the_figures(
    smtp, pledged, initiator, participant
):
    with time_machine.travel(pledged.deadline + datetime.timedelta(minutes=1)):
        services.promises_fail_expired()
    send_broadcast(Broadcast.objects.get(kind=FAILED).pk)
    by_recipient = {str(m["To"]): m for m in smtp.messages}
    assert "libéré" in _body(by_recipient[participant.email], "plain")
    to_initiator = _body(by_recipient[initiator.email], "plain")
    assert "1 personne a promis sur un objectif de 3 (33\u00a0%)" in to_initiator
    # "Relancer": the create form, pre-filled from the failed promise.
    assert f"/promesses/{pledged.slug}/relancer/" in to_initiator


def test_it_tells_participants_when_initiators_cancel(smtp, pledged, initiator, participant):
    services.promise_cancel(promise=pledged)
    send_broadcast(Broadcast.objects.get(kind=CANCELLED).pk)
    assert list(smtp.recipients) == [participant.email]
    assert smtp.messages[0]["Subject"] == "Promesse annulée par ses initiateurs"


def test_it_does_not_email_pending_pledges(smtp, promise):
    services.pledge_create(promise=promise, user=UserFactory(verified=False))
    people = reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)
    assert len(smtp.messages) == len(people) + 1


def test_it_reuses_one_smtp_connection_per_batch(smtp, initiator, settings):
    from promises.tests.factories import PromiseFactory

    settings.OUTBOX_BATCH_SIZE = 10
    promise = PromiseFactory(created_by=initiator, objective=24)
    reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)
    assert len(smtp.messages) == 25
    assert smtp.connections == 3  # 25 emails in batches of 10


def test_it_gives_each_recipient_their_own_name_and_unsubscribe_link(smtp, promise):
    from notifications.emails import read_unsubscribe_token

    people = reach(promise)
    people[0].display_name = "Zoé <b>& Co</b>"
    people[0].save()
    send_broadcast(Broadcast.objects.get(kind=REACHED).pk)

    by_recipient = {str(m["To"]): m for m in smtp.messages}
    tokens = set()
    for user in people:
        message = by_recipient[user.email]
        text, html = _body(message, "plain"), _body(message, "html")
        link = message["List-Unsubscribe"].strip()[1:-1]
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert read_unsubscribe_token(token)[0] == user.pk
        assert link in text and link in html
        tokens.add(token)
        if user == people[0]:
            assert "Bonjour Zoé <b>& Co</b>," in text
            assert "Bonjour Zoé &lt;b&gt;&amp; Co&lt;/b&gt;," in html
        else:
            assert f"Bonjour {user.display_name}," in text
        assert "\ue000" not in text + html
    assert len(tokens) == len(people)


def test_it_gives_a_late_joiner_the_calendar_file_of_the_action(smtp, promise, client):
    type(promise).objects.filter(pk=promise.pk).update(action_date=datetime.date(2027, 7, 8))
    reach(promise, extra=1)
    send_broadcast(Broadcast.objects.get(kind=JOINED_LATE).pk)
    text = _body(smtp.messages[0], "plain")
    agenda = f"/promesses/{promise.slug}/agenda.ics"
    assert agenda in text and agenda in _body(smtp.messages[0], "html")
    response = client.get(agenda)
    assert response.status_code == 200
    assert b"DTSTART;VALUE=DATE:20270708" in response.content
