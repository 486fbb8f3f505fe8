"""Publishing the bilan: the promise becomes FINISHED and every participant gets it by email
(a RECAP broadcast written in the same transaction)."""

import pytest
from django.urls import reverse

from notifications.models import Broadcast
from onpromet.errors import Refusal
from promises import services
from promises.emails import RECAP
from promises.models import Promise, Recap
from promises.permissions import PromiseAccess
from promises.tests.factories import reach
from promises.tests.helpers import page_text


def url(promise) -> str:
    return reverse("promises:recap_publish", args=[promise.slug])


@pytest.fixture
def drafted(promise, initiator):
    reach(promise)
    services.recap_save(promise=promise, author=initiator, text="Nous l'avons fait.")
    return promise


def test_it_asks_for_confirmation(client, drafted, initiator):
    client.force_login(initiator)

    response = client.get(url(drafted))

    assert response.status_code == 200
    assert "Publier le bilan ?" in page_text(response)
    drafted.refresh_from_db()
    assert drafted.state == Promise.State.REACHED


def test_it_publishes_and_finishes_the_promise(client, drafted, initiator):
    client.force_login(initiator)

    response = client.post(url(drafted))

    assert response.status_code == 302
    assert response["Location"] == reverse("promises:recap", args=[drafted.slug])
    drafted.refresh_from_db()
    recap = Recap.objects.get(promise=drafted)
    assert drafted.state == Promise.State.FINISHED
    assert drafted.finished_at == recap.published_at
    assert Broadcast.objects.filter(promise=drafted, kind=RECAP).count() == 1
    assert not drafted.accepts_pledges


def test_it_publishes_once(drafted):
    services.recap_publish(promise=drafted)

    with pytest.raises(Refusal, match="Le bilan est déjà publié."):
        services.recap_publish(promise=drafted)

    assert Broadcast.objects.filter(kind=RECAP).count() == 1


def test_it_explains_a_second_publication(client, drafted, initiator):
    services.recap_publish(promise=drafted)
    client.force_login(initiator)

    response = client.post(url(drafted), follow=True)

    assert "Le bilan est déjà publié." in page_text(response)
    assert client.get(url(drafted), follow=True).redirect_chain == [
        (reverse("promises:recap", args=[drafted.slug]), 302)
    ]


def test_it_wants_a_text_first(client, promise, initiator):
    reach(promise)
    client.force_login(initiator)

    response = client.post(url(promise), follow=True)

    assert "Écrivez d'abord le bilan, puis publiez-le." in page_text(response)
    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    assert not Broadcast.objects.filter(kind=RECAP).exists()


@pytest.mark.parametrize("state", [Promise.State.OPEN, Promise.State.FAILED])
def test_it_refuses_a_promise_that_did_not_reach_its_objective(client, pledged, initiator, state):
    Promise.objects.filter(pk=pledged.pk).update(state=state)
    client.force_login(initiator)

    response = client.post(url(pledged), follow=True)

    assert response.redirect_chain == [(pledged.get_absolute_url(), 302)]
    assert "Le bilan s'écrit une fois l'objectif atteint" in page_text(response)
    pledged.refresh_from_db()
    assert pledged.state == state


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_a_participant_and_an_outsider(client, drafted, outsider, method):
    participant = drafted.pledges.filter(is_initiator=False).first().user
    for user in (participant, outsider):
        client.force_login(user)
        assert getattr(client, method)(url(drafted)).status_code == 403
    drafted.refresh_from_db()
    assert drafted.state == Promise.State.REACHED


def test_it_sends_an_anonymous_visitor_to_log_in(client, drafted):
    response = client.post(url(drafted))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    drafted.refresh_from_db()
    assert drafted.state == Promise.State.REACHED


def test_the_rules_are_the_ones_templates_use(drafted, initiator, outsider):
    participant = drafted.pledges.filter(is_initiator=False).first().user
    rules = {
        user: (access.can_write_recap, access.can_publish_recap, access.can_see_recap)
        for user in (initiator, participant, outsider)
        for access in [PromiseAccess.of(drafted, user)]
    }
    assert rules == {
        initiator: (True, True, True),
        participant: (False, False, False),
        outsider: (False, False, False),
    }
    services.recap_publish(promise=drafted)
    drafted.refresh_from_db()
    assert PromiseAccess.of(drafted, outsider).can_see_recap
    assert not PromiseAccess.of(drafted, initiator).can_publish_recap
