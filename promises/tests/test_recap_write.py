"""Writing the bilan: its initiators, once the objective is reached; corrections after."""

import pytest
from django.urls import reverse

from notifications.models import Broadcast
from onpromet.errors import Refusal
from promises import services
from promises.emails import RECAP
from promises.models import Promise, Recap
from promises.tests.factories import reach
from promises.tests.helpers import page_text


def url(promise) -> str:
    return reverse("promises:recap_edit", args=[promise.slug])


@pytest.fixture
def reached(promise):
    reach(promise)
    return promise


def test_it_saves_a_draft_for_an_initiator(client, reached, initiator):
    client.force_login(initiator)
    assert client.get(url(reached)).status_code == 200

    response = client.post(url(reached), {"text": "  Nous étions 4.\nMerci !  "})

    assert response.status_code == 302
    assert response["Location"] == reverse("promises:recap", args=[reached.slug])
    recap = Recap.objects.get(promise=reached)
    assert (recap.text, recap.author, recap.published_at) == (
        "Nous étions 4.\nMerci !",
        initiator,
        None,
    )
    reached.refresh_from_db()
    assert reached.state == Promise.State.REACHED


def test_it_fills_the_form_with_the_draft(client, reached, initiator):
    services.recap_save(promise=reached, author=initiator, text="Premier jet")
    client.force_login(initiator)

    assert "Premier jet</textarea>" in page_text(client.get(url(reached)))


def test_it_corrects_a_published_recap_without_emailing_it_again(client, reached, initiator):
    services.recap_save(promise=reached, author=initiator, text="Coquile")
    services.recap_publish(promise=reached)
    client.force_login(initiator)

    client.post(url(reached), {"text": "Coquille corrigée"})

    recap = Recap.objects.get(promise=reached)
    assert recap.text == "Coquille corrigée"
    assert recap.published_at is not None
    assert Broadcast.objects.filter(kind=RECAP).count() == 1


def test_it_refuses_an_empty_text(client, reached, initiator):
    client.force_login(initiator)

    response = client.post(url(reached), {"text": "   "})

    assert response.status_code == 200
    assert "Écrivez le bilan." in page_text(response)
    assert not Recap.objects.exists()


def test_it_explains_that_a_recap_waits_for_the_objective(client, promise, initiator):
    client.force_login(initiator)

    response = client.post(url(promise), {"text": "Trop tôt"}, follow=True)

    assert response.redirect_chain == [(promise.get_absolute_url(), 302)]
    assert "Le bilan s'écrit une fois l'objectif atteint." in page_text(response)
    assert not Recap.objects.exists()


def test_the_service_refuses_a_failed_promise(pledged, initiator):
    Promise.objects.filter(pk=pledged.pk).update(state=Promise.State.FAILED)

    with pytest.raises(Refusal, match="Le bilan s.écrit une fois l.objectif atteint"):
        services.recap_save(promise=pledged, author=initiator, text="Raté")


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_a_participant_and_an_outsider(client, reached, outsider, method):
    participant = reached.pledges.filter(is_initiator=False).first().user
    for user in (participant, outsider):
        client.force_login(user)
        response = getattr(client, method)(url(reached), {"text": "Pirate"})
        assert response.status_code == 403
    assert not Recap.objects.exists()


def test_it_sends_an_anonymous_visitor_to_log_in(client, reached):
    response = client.post(url(reached), {"text": "Pirate"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Recap.objects.exists()
