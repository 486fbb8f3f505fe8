"""The promises' sections of the data export: pledges, news, share links; nothing of the
other participants but a count and the public names of those one's link brought."""

from accounts.export import SECTIONS
from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge
from promises.sharing import Arrival


def collect(key, user):
    return SECTIONS[key].collect(user)


def test_the_pledges_are_the_persons_own(pledged, participant, initiator):
    other = UserFactory(display_name="Zoé")
    services.pledge_create(promise=pledged, user=other)
    services.pledge_withdraw(promise=pledged, user=participant)
    [pledge] = collect("pledges", participant).data
    assert pledge["promesse"] == pledged.sentence
    assert pledge["statut"] == "retirée" and pledge["retirée le"]
    assert "Zoé" not in str(collect("pledges", participant).data)


def test_the_referrals_count_who_came_and_name_them_publicly(pledged, participant):
    mine = Pledge.objects.get(promise=pledged, user=participant)
    named = UserFactory(display_name="Nina", email="nina@example.org")
    hidden = UserFactory(display_name="Caché", appears_anonymously=True)
    unconfirmed = UserFactory(display_name="Pas confirmé", verified=False)
    for person in (named, hidden, unconfirmed):
        services.pledge_create(
            promise=pledged, user=person, arrival=Arrival(Pledge.Source.LINK, mine.pk)
        )
    [referral] = collect("referrals", participant).data
    # The unconfirmed one does not count yet (Pledge.CREDITED), as on the promise page.
    assert referral["personnes venues par votre lien"] == 2
    assert sorted(referral["leurs noms publics"]) == ["Anonyme", "Nina"]
    assert "nina@example.org" not in str(referral) and "Caché" not in str(referral)
    assert referral["vous êtes venu par"] == "directement"


def test_the_news_are_those_the_person_wrote(promise, initiator, participant):
    services.update_create(promise=promise, author=initiator, text="Rendez-vous à 9 h.")
    assert [n["nouvelle"] for n in collect("news", initiator).data] == ["Rendez-vous à 9 h."]
    assert collect("news", participant).data == []


def test_the_alerts_are_the_persons_own(participant, outsider):
    from django.http import QueryDict

    from promises import alerts

    alerts.alert_create(user=participant, data=QueryDict("q=plage"))
    alerts.alert_create(user=outsider, data=QueryDict("q=vélo"))
    [alert] = collect("alerts", participant).data
    assert alert["alerte"] == "« plage »" and alert["recherche"] == "/promesses/?q=plage"
