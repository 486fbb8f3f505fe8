"""Search alerts, Prévenez-moi (promises.alerts): a saved search brings, in the weekly digest, the
new open promises it finds; once each, nothing when nothing is new, never a hidden one."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications import services as outbox
from notifications.models import Digest
from notifications.tasks import digests as digests_task
from promises import alerts, services
from promises.models import Alert, Commune, Promise
from promises.tests.factories import PromiseFactory, ThemeFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
WEDNESDAY = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=PARIS)
NEXT_MONDAY = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=PARIS)
MONDAY_AFTER = datetime.datetime(2026, 12, 14, 7, 0, tzinfo=PARIS)


def at(moment):
    return time_machine.travel(moment, tick=False)


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def sea(db):
    return ThemeFactory(name="Mer et littoral", slug="mer")


@pytest.fixture
def biscarrosse(db):
    from promises.places import normalise

    return Commune.objects.create(
        insee="40046",
        name="Biscarrosse",
        search_name=normalise("Biscarrosse"),
        postcodes=["40600"],
        departement="40",
        latitude=44.3942,
        longitude=-1.1628,
    )


@pytest.fixture
def alert(participant, sea):
    with at(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)):
        return alerts.alert_create(
            user=participant, data=_query({"q": "plage", "theme": "mer", "etat": "open"})
        )


def _query(values):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def beach(initiator, sea, action="nettoyer la plage du Moulleau", **fields):
    promise = PromiseFactory(created_by=initiator, objective=10, action=action, **fields)
    promise.themes.add(sea)
    return promise


def test_an_alert_keeps_the_search_s_filters_and_says_what_it_is(participant, sea, biscarrosse):
    alert = alerts.alert_create(
        user=participant,
        data=_query(
            {
                "q": "plage",
                "theme": "mer",
                "pres": "Biscarrosse",
                "rayon": "10",
                "format": "sur-place",
                "lat": "44.1",
                "lon": "-1.2",
                "etat": "open",
                "tri": "recentes",
                "page": "2",
            }
        ),
    )
    # The position, the state, the order and the page are not kept.
    assert alert.query == "q=plage&theme=mer&pres=Biscarrosse&rayon=10&format=sur-place"
    assert (
        plain(alert.label) == "« plage », Mer et littoral, près de Biscarrosse (10 km), sur place"
    )
    # The same search twice is one alert.
    again = alerts.alert_create(
        user=participant,
        data=_query(
            {
                "theme": "mer",
                "q": "plage",
                "pres": "Biscarrosse",
                "rayon": "10",
                "format": "sur-place",
            }
        ),
    )
    assert again.pk == alert.pk


def test_a_search_without_filters_cannot_be_saved(participant):
    from onpromet.errors import Refusal

    with pytest.raises(Refusal, match="Choisissez d'abord"):
        alerts.alert_create(user=participant, data=_query({"etat": "open", "rayon": "10"}))
    assert not Alert.objects.exists()


def test_the_weekly_email_brings_the_new_matching_promises_once(
    smtp, alert, initiator, participant, sea
):
    with at(WEDNESDAY):
        found = beach(initiator, sea)
        beach(initiator, sea, action="réparer les vélos")  # not "plage"
        other_theme = PromiseFactory(created_by=initiator, action="nettoyer la plage de Lacanau")
        hidden = beach(initiator, sea, action="ramasser les déchets de la plage")
        Promise.objects.filter(pk=hidden.pk).update(is_hidden=True)
        joined = beach(initiator, sea, action="surveiller la plage des Dunes")
        services.pledge_create(promise=joined, user=participant)
    with at(NEXT_MONDAY):
        totals = digests_task()
    assert totals["sent"] == 1
    [message] = smtp.messages
    assert message["To"] == participant.email
    assert (
        plain(message["Subject"])
        == "Votre résumé de la semaine : 1 nouvelle promesse pour vos alertes"
    )
    text = plain(message.get_body(("plain",)).get_content())
    assert found.sentence in text
    assert other_theme.sentence not in text and "vélos" not in text
    assert hidden.sentence not in text and joined.sentence not in text
    assert "« plage », Mer et littoral" in text
    assert "/promesses/?q=plage&theme=mer" in text
    assert message["List-Unsubscribe"]

    # The beat runs again: nothing twice. The week after, nothing new: nothing sent.
    with at(NEXT_MONDAY + datetime.timedelta(hours=3)):
        digests_task()
    with at(MONDAY_AFTER):
        digests_task()
    assert len(smtp.messages) == 1
    assert Digest.objects.count() == 1


def test_nothing_is_sent_when_nothing_new_matches(smtp, alert, initiator, sea):
    with at(WEDNESDAY):
        PromiseFactory(created_by=initiator, action="planter des arbres")
    with at(NEXT_MONDAY):
        digests_task()
    assert smtp.messages == []
    assert not Digest.objects.exists()


def test_a_promise_published_before_the_alert_is_not_new(smtp, initiator, participant, sea):
    with at(datetime.datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)):
        beach(initiator, sea)
    with at(WEDNESDAY):
        alerts.alert_create(user=participant, data=_query({"theme": "mer"}))
    with at(NEXT_MONDAY):
        digests_task()
    assert smtp.messages == []


def test_a_promise_hidden_before_the_email_goes_is_left_out(smtp, alert, initiator, sea):
    from notifications import digests

    with at(WEDNESDAY):
        found = beach(initiator, sea)
    with at(NEXT_MONDAY):
        digests.digests_build(cadence="weekly")
        Promise.objects.filter(pk=found.pk).update(is_hidden=True)
        totals = digests_task()
    assert totals["skipped"] == 1
    assert smtp.messages == []


def test_alerts_come_daily_when_chosen(smtp, alert, initiator, participant, sea):
    outbox.topic_set(user=participant, topic="alerts", cadence="daily")
    with at(WEDNESDAY):
        beach(initiator, sea)
    with at(WEDNESDAY + datetime.timedelta(days=1)):
        digests_task()
    [message] = smtp.messages
    assert plain(message["Subject"]).startswith("Votre résumé du jour : 1 nouvelle promesse")


# --- Pages ------------------------------------------------------------------------------------


def test_the_search_page_offers_prevenez_moi_and_saves_the_search(client, participant, sea):
    url = reverse("promises:list") + "?q=plage&theme=mer"
    anonymous = client.get(url).content.decode()
    assert "Prévenez-moi" in anonymous
    assert reverse("account_login") + "?next=" in anonymous

    client.force_login(participant)
    page = client.get(url).content.decode()
    assert f'action="{reverse("promises:alert_create")}"' in page
    response = client.post(reverse("promises:alert_create"), {"q": "plage", "theme": "mer"})
    assert response.status_code == 302
    assert response["Location"] == reverse("promises:list") + "?q=plage&theme=mer"
    assert list(Alert.objects.values_list("user", "query")) == [
        (participant.pk, "q=plage&theme=mer")
    ]
    followed = client.get(response["Location"]).content.decode()
    assert "C&#x27;est noté" in followed or "C'est noté" in followed


def test_no_prevenez_moi_without_a_search(client, participant):
    client.force_login(participant)
    assert "Prévenez-moi" not in client.get(reverse("promises:list")).content.decode()


def test_a_theme_page_offers_its_alert(client, participant, sea):
    client.force_login(participant)
    page = client.get(reverse("theme", args=["mer"])).content.decode()
    assert "nouvelles promesses de ce thème" in page
    client.post(reverse("promises:alert_create"), {"theme": "mer"})
    assert Alert.objects.get().label == "Mer et littoral"


def test_anonymous_visitors_are_asked_to_log_in(db):
    client = Client()
    response = client.post(reverse("promises:alert_create"), {"q": "plage"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Alert.objects.exists()


def test_alerts_are_listed_and_deleted_in_the_preferences(client, alert, participant, outsider):
    client.force_login(participant)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Mes alertes" in page and "Mer et littoral" in page

    # Another person cannot delete it.
    other = Client()
    other.force_login(outsider)
    response = other.post(reverse("promises:alert_delete", args=[alert.pk]))
    assert response.status_code == 404
    assert Alert.objects.filter(pk=alert.pk).exists()

    response = client.post(reverse("promises:alert_delete", args=[alert.pk]))
    assert response.status_code == 302
    assert not Alert.objects.exists()
    assert "Aucune alerte" in client.get(reverse("notifications:preferences")).content.decode()


def test_the_preferences_page_costs_the_same_with_many_alerts(
    client, participant, sea, django_assert_max_num_queries
):
    client.force_login(participant)
    alerts.alert_create(user=participant, data=_query({"theme": "mer"}))
    client.get(reverse("notifications:preferences"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:preferences"))
    for words in ("plage", "vélo", "compost", "arbres", "jardin"):
        alerts.alert_create(user=participant, data=_query({"q": words}))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:preferences"))


def test_at_most_twenty_alerts(participant):
    from onpromet.errors import Refusal

    for n in range(alerts.PER_USER):
        alerts.alert_create(user=participant, data=_query({"q": f"mot{n}"}))
    with pytest.raises(Refusal, match="déjà 20 alertes"):
        alerts.alert_create(user=participant, data=_query({"q": "encore"}))


def test_an_alert_near_a_commune_finds_the_promises_within_its_radius(
    smtp, initiator, participant, sea, biscarrosse
):
    from promises.places import normalise

    paris = Commune.objects.create(
        insee="75056",
        name="Paris",
        search_name=normalise("Paris"),
        postcodes=["75001"],
        departement="75",
        latitude=48.8589,
        longitude=2.347,
    )
    with at(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)):
        alerts.alert_create(user=participant, data=_query({"pres": "Biscarrosse", "rayon": "10"}))
    with at(WEDNESDAY):
        near = PromiseFactory(created_by=initiator, action="nettoyer le lac", commune=biscarrosse)
        far = PromiseFactory(created_by=initiator, action="nettoyer la Seine", commune=paris)
    with at(NEXT_MONDAY):
        digests_task()
    [message] = smtp.messages
    text = plain(message.get_body(("plain",)).get_content())
    assert near.sentence in text and far.sentence not in text
    assert "près de Biscarrosse (10 km)" in text
