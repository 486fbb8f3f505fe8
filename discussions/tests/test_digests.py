"""Daily and weekly digests (notifications.digests), with time frozen: the topics a person takes
as a digest wait for it, then come as one email per person and period, grouped by promise;
nothing is sent when nothing is new, nothing twice, and the choices of the moment of sending
are the ones that count."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications import digests
from notifications import services as outbox
from notifications.models import Delivery, Digest
from notifications.tasks import digests as digests_task
from notifications.tasks import send_broadcast
from promises import services as promise_services
from promises.services.news import update_create
from promises.tests.factories import PromiseFactory

from .. import services

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# A Tuesday.
TUESDAY = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
WEDNESDAY_MORNING = datetime.datetime(2026, 12, 2, 7, 0, tzinfo=PARIS)


def plain(text: str) -> str:
    """Without French typography's no-break spaces, to compare with plain strings."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def at(moment):
    return time_machine.travel(moment, tick=False)


def expand_and_send_all():
    """What the workers do with every broadcast written so far."""
    from notifications.models import Broadcast

    for broadcast in Broadcast.objects.filter(expanded_at__isnull=True):
        send_broadcast(broadcast.pk)


@pytest.fixture
def two_promises(initiator, participant):
    first = PromiseFactory(
        created_by=initiator, objective=5, action="nettoyer la plage du Moulleau"
    )
    second = PromiseFactory(
        created_by=initiator, objective=5, action="réparer les vélos du quartier"
    )
    for promise in (first, second):
        promise_services.pledge_create(promise=promise, user=participant)
    # The participant's posts would come in the initiator's own digest: not these tests' point.
    outbox.topic_set(user=initiator, topic="activity", cadence="never")
    return first, second


@pytest.fixture
def daily(participant):
    for topic in ("updates", "replies"):
        outbox.topic_set(user=participant, topic=topic, cadence="daily")
    return participant


def news_and_reply(first, second, initiator, participant):
    update_create(promise=first, author=initiator, text="Rendez-vous au parking nord.")
    post = services.post_create(promise=second, author=participant, text="J'apporte des pompes.")
    services.comment_create(post=post, author=initiator, text="Merci, parfait !")


def test_a_day_s_news_and_replies_come_as_one_email_grouped_by_promise(
    smtp, two_promises, initiator, daily
):
    first, second = two_promises
    with at(TUESDAY):
        news_and_reply(first, second, initiator, daily)
        expand_and_send_all()
    # Nothing yet for the participant: their deliveries wait.
    assert daily.email not in smtp.recipients
    assert set(Delivery.objects.filter(user=daily).values_list("status", flat=True)) == {"held"}

    with at(WEDNESDAY_MORNING):
        totals = digests_task()

    assert totals["sent"] == 1
    [message] = [m for m in smtp.messages if m["To"] == daily.email]
    assert plain(message["Subject"]) == "Votre résumé du jour : 2 nouveautés sur 2 promesses"
    text = message.get_body(("plain",)).get_content()
    assert "le mardi 1er décembre" in text
    assert first.sentence in text and second.sentence in text
    assert "Rendez-vous au parking nord." in text and "Merci, parfait !" in text
    assert text.index(first.sentence) < text.index("parking nord") < text.index(second.sentence)
    html = message.get_body(("html",)).get_content()
    assert "Votre résumé du jour" in html and "parking nord" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Delivery.objects.filter(user=daily).values_list("status", flat=True)) == {"sent"}
    digest = Digest.objects.get(user=daily)
    assert (digest.cadence, digest.status) == ("daily", "sent")
    assert timezone_local(digest.period_start) == datetime.datetime(2026, 12, 1, tzinfo=PARIS)


def timezone_local(moment):
    return moment.astimezone(PARIS)


def test_nothing_is_sent_when_nothing_is_new(smtp, two_promises, daily):
    with at(WEDNESDAY_MORNING):
        totals = digests_task()
    assert totals == {"built": 0, "sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    assert smtp.messages == []
    assert not Digest.objects.exists()


def test_two_runs_send_one_digest_and_the_next_day_only_what_is_new(
    smtp, two_promises, initiator, daily
):
    first, second = two_promises
    with at(TUESDAY):
        news_and_reply(first, second, initiator, daily)
        expand_and_send_all()
    with at(WEDNESDAY_MORNING):
        digests_task()
    with at(WEDNESDAY_MORNING + datetime.timedelta(hours=2)):
        digests_task()  # the beat again, the same day
    assert smtp.recipients[daily.email] == 1

    with at(WEDNESDAY_MORNING + datetime.timedelta(hours=5)):
        update_create(promise=second, author=initiator, text="Les chambres à air sont là.")
        expand_and_send_all()
    with at(WEDNESDAY_MORNING + datetime.timedelta(days=1)):
        digests_task()
    assert smtp.recipients[daily.email] == 2
    latest = smtp.messages[-1].get_body(("plain",)).get_content()
    assert "chambres à air" in latest and "parking nord" not in latest


def test_a_worker_killed_mid_run_leaves_its_digests_to_the_next_one_without_duplicates(
    smtp, two_promises, initiator, daily, settings
):
    other = UserFactory(display_name="Olga")
    promise_services.pledge_create(promise=two_promises[0], user=other)
    outbox.topic_set(user=other, topic="updates", cadence="daily")
    with at(TUESDAY):
        news_and_reply(*two_promises, initiator, daily)
        expand_and_send_all()
    with at(WEDNESDAY_MORNING):
        assert digests.digests_build(cadence="daily") > 0
        # A worker claims both digests, sends the first one, and dies before the second.
        claimed = digests.digests_claim(limit=10)
        assert len(claimed) == 2
        digests.digests_send(digest_ids=claimed[:1])
        assert len(smtp.messages) == 1
        # While its lease runs, nobody takes its work over.
        assert digests_task()["sent"] == 0
    after_lease = WEDNESDAY_MORNING + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    with at(after_lease):
        assert digests_task()["sent"] == 1
        assert digests_task()["sent"] == 0
    assert smtp.recipients == {daily.email: 1, other.email: 1}


def test_the_choices_at_send_time_count(smtp, two_promises, initiator, daily):
    first, second = two_promises
    with at(TUESDAY):
        news_and_reply(first, second, initiator, daily)
        expand_and_send_all()
    with at(WEDNESDAY_MORNING):
        digests.digests_build(cadence="daily")
        # Since the digest was built: replies turned off, and the participant left the first
        # promise. Nothing is left to say.
        outbox.topic_set(user=daily, topic="replies", cadence="never")
        promise_services.pledge_withdraw(promise=first, user=daily)
        totals = digests_task()
    assert totals["skipped"] == 1 and totals["sent"] == 0
    assert smtp.messages == []
    assert set(Delivery.objects.filter(user=daily).values_list("status", flat=True)) == {"skipped"}


def test_a_choice_of_digest_made_after_the_event_holds_the_email_for_it(
    smtp, two_promises, initiator, participant
):
    first, _ = two_promises
    with at(TUESDAY):
        update_create(promise=first, author=initiator, text="Rendez-vous au parking nord.")
        from notifications.models import Broadcast

        broadcast = Broadcast.objects.get(kind="update")
        outbox.broadcast_expand(broadcast=broadcast)  # expanded while "each time"…
        outbox.topic_set(user=participant, topic="updates", cadence="weekly")  # …then changed
        send_broadcast(broadcast.pk)
    assert smtp.messages == []
    assert Delivery.objects.get(user=participant).status == "held"
    # The daily run leaves it to the weekly digest, which comes the Monday after.
    with at(WEDNESDAY_MORNING):
        digests_task()
    assert smtp.messages == []
    with at(datetime.datetime(2026, 12, 7, 7, 0, tzinfo=PARIS)):
        digests_task()
    [message] = smtp.messages
    assert message["Subject"].startswith("Votre résumé de la semaine")
    assert (
        "du lundi 30 novembre au dimanche 6 décembre" in message.get_body(("plain",)).get_content()
    )


def test_initiators_get_their_promise_s_discussion_once_a_day_by_default(
    smtp, pledged, initiator, participant
):
    with at(TUESDAY):
        services.post_create(promise=pledged, author=participant, text="Qui amène des gants ?")
        services.post_create(promise=pledged, author=participant, text="Et des sacs ?")
        expand_and_send_all()
    assert smtp.messages == []
    with at(WEDNESDAY_MORNING):
        digests_task()
    [message] = smtp.messages
    assert message["To"] == initiator.email
    assert plain(message["Subject"]) == "Votre résumé du jour : 2 nouveautés sur 1 promesse"
    text = message.get_body(("plain",)).get_content()
    assert "gants" in text and "sacs" in text


def test_unsubscribe_links_work_per_topic(smtp, two_promises, initiator, daily):
    with at(TUESDAY):
        news_and_reply(*two_promises, initiator, daily)
        expand_and_send_all()
    with at(WEDNESDAY_MORNING):
        digests_task()
    [message] = smtp.messages
    text = plain(message.get_body(("plain",)).get_content())
    line = next(li for li in text.splitlines() if li.startswith("Ne plus recevoir « Nouvelles"))
    url = line.rsplit(" ", 1)[1].replace("http://testserver", "")
    path = url[url.index("/notifications/") :]
    Client(enforce_csrf_checks=True).post(path)
    cadences = outbox.topic_cadences(user=daily)
    assert (cadences["updates"], cadences["replies"]) == ("never", "daily")
    # The header's link: every topic of the digest.
    header = message["List-Unsubscribe"].strip("<>")
    Client(enforce_csrf_checks=True).post(header[header.index("/notifications/") :])
    assert outbox.topic_cadences(user=daily)["replies"] == "never"


def test_the_preferences_page_offers_each_topic_s_cadences(client, participant):
    client.force_login(participant)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Un résumé par semaine" in page
    fields = dict.fromkeys(outbox.topic_cadences(user=participant), "immediate")
    fields.update(updates="weekly", alerts="daily")
    response = client.post(reverse("notifications:preferences"), fields)
    assert response.status_code == 302
    assert outbox.topic_cadences(user=participant)["updates"] == "weekly"
    # The objective reached cannot wait for a digest: refused, nothing stored.
    fields["action"] = "daily"
    response = client.post(reverse("notifications:preferences"), fields)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert outbox.topic_cadences(user=participant)["action"] == "immediate"
