"""Nouvelles: initiators post news; at most one update per promise and day (Europe/Paris) is
emailed, through the outbox, to the participants who did not turn them off."""

import datetime
import zoneinfo

import time_machine
from django.urls import reverse

from notifications.models import Broadcast
from notifications.services import recipients, topic_set
from notifications.tasks import send_broadcast
from onpromet.tests.images import image_upload
from promises import services
from promises.emails import TOPIC_UPDATES, UPDATE
from promises.models import Update
from promises.tests.helpers import page_text

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _url(promise) -> str:
    return reverse("promises:updates", args=[promise.slug])


def test_it_publishes_an_update_with_a_photo_and_emails_it(client, pledged, initiator):
    client.force_login(initiator)

    response = client.post(
        _url(pledged), {"text": "Rendez-vous à 9 h au poste.", "photo": image_upload()}
    )

    assert response.status_code == 302
    update = Update.objects.get(promise=pledged)
    assert update.emailed and update.photo and update.thumbnail
    assert update.photo.name.endswith(".webp")
    broadcast = Broadcast.objects.get(kind=UPDATE)
    assert broadcast.update == update
    shown = page_text(client.get(response["Location"]))
    assert "publiée et envoyée par e-mail" in shown
    page = page_text(client.get(pledged.get_absolute_url()))
    assert "Rendez-vous à 9 h au poste." in page


def test_it_sends_the_update_to_participants_only(smtp, pledged, initiator, participant):
    update = services.update_create(promise=pledged, author=initiator, text="Gants fournis !")
    send_broadcast(Broadcast.objects.get(update=update).pk)
    assert list(smtp.recipients) == [participant.email]
    message = smtp.messages[0]
    assert message["Subject"].startswith("Nouvelles de la promesse")
    assert "Gants fournis !" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe"]


def test_it_honours_the_updates_preference(pledged, initiator, participant):
    topic_set(user=participant, topic=TOPIC_UPDATES, cadence="never")
    services.update_create(promise=pledged, author=initiator, text="Gants fournis !")
    assert not recipients(Broadcast.objects.get(kind=UPDATE)).exists()


def test_it_emails_at_most_one_update_per_day_in_paris(client, pledged, initiator):
    # 23:30 in Paris is 22:30 UTC (winter): the next Paris day starts one hour later.
    evening = datetime.datetime(2027, 1, 12, 23, 30, tzinfo=PARIS)
    with time_machine.travel(evening, tick=False) as traveller:
        client.force_login(initiator)
        first = services.update_create(promise=pledged, author=initiator, text="Un")
        assert "déjà été envoyée par e-mail aujourd'hui" in page_text(client.get(_url(pledged)))
        response = client.post(_url(pledged), {"text": "Deux"}, follow=True)
        assert "n'est pas envoyée par e-mail" in page_text(response)
        traveller.move_to(datetime.datetime(2027, 1, 13, 0, 5, tzinfo=PARIS))
        third = services.update_create(promise=pledged, author=initiator, text="Trois")
    second = Update.objects.get(text="Deux")
    assert (first.emailed, second.emailed, third.emailed) == (True, False, True)
    assert Broadcast.objects.filter(kind=UPDATE).count() == 2


def test_it_lists_all_updates_to_every_visitor(client, promise, initiator):
    for n in range(5):
        services.update_create(promise=promise, author=initiator, text=f"Nouvelle {n}")
    page = page_text(client.get(promise.get_absolute_url()))
    assert "Nouvelle 4" in page and "Nouvelle 2" in page and "Nouvelle 1" not in page
    assert "Toutes les nouvelles" in page
    listing = client.get(_url(promise))
    assert listing.status_code == 200
    assert all(f"Nouvelle {n}" in page_text(listing) for n in range(5))
    assert "Publier la nouvelle" not in page_text(listing)


def test_it_refuses_an_empty_update_in_french(client, promise, initiator):
    client.force_login(initiator)
    response = client.post(_url(promise), {"text": "   "})
    assert response.status_code == 200
    assert "Écrivez votre nouvelle." in page_text(response)
    assert not Update.objects.exists()
