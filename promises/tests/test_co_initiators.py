"""Co-initiators: an initiator invites by email, the invitee accepts with the link, both lead;
an initiator leaves unless they are the last one. The counter of the others stays right."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from promises import services
from promises.models import Invitation, Pledge, Promise
from promises.tests.factories import reach
from promises.tests.helpers import page_text


def _invite(promise, initiator, email="elsa@example.org") -> Invitation:
    return services.invitation_create(promise=promise, invited_by=initiator, email=email)


def _accept_url(invitation: Invitation) -> str:
    return reverse("promises:invitation", args=[invitation.promise.slug, invitation.token])


def _active_others(promise) -> int:
    return Pledge.objects.participants().filter(promise=promise).count()


def test_it_sends_the_invitation_by_email(client, promise, initiator, settings):
    settings.SITE_URL = "https://onpromet.example"
    client.force_login(initiator)

    response = client.post(
        reverse("promises:initiators", args=[promise.slug]), {"email": " Elsa@Example.org "}
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get(promise=promise)
    assert invitation.email == "elsa@example.org"
    assert invitation.invited_by == initiator
    [message] = mail.outbox
    assert message.to == ["elsa@example.org"]
    assert "Arthur vous invite" in message.subject
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"https://onpromet.example{_accept_url(invitation)}" in body
        assert promise.sentence in body.replace("&#x27;", "'")
    assert "List-Unsubscribe" not in message.extra_headers
    page = page_text(client.get(reverse("promises:initiators", args=[promise.slug])))
    assert "elsa@example.org" in page  # pending, listed


def test_it_refuses_a_second_pending_invitation_to_the_same_address(client, promise, initiator):
    _invite(promise, initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("promises:initiators", args=[promise.slug]), {"email": "ELSA@example.org"}
    )
    assert response.status_code == 200
    assert "Une invitation attend déjà une réponse à cette adresse." in page_text(response)
    assert Invitation.objects.count() == 1


def test_it_makes_a_newcomer_an_initiator(client, promise, initiator):
    elsa = UserFactory(display_name="Elsa", email="elsa@example.org")
    invitation = _invite(promise, initiator)
    client.force_login(elsa)

    page = client.get(_accept_url(invitation))
    assert "elsa@example.org" in page_text(page)
    assert "pas celle de l'invitation" not in page_text(page)
    response = client.post(_accept_url(invitation))

    assert response.status_code == 302
    assert response["Location"] == promise.get_absolute_url()
    pledge = Pledge.objects.get(promise=promise, user=elsa)
    assert pledge.is_initiator and pledge.is_active
    invitation.refresh_from_db()
    assert invitation.accepted_by == elsa and invitation.accepted_at
    promise.refresh_from_db()
    assert promise.pledge_count == 0
    text = page_text(client.get(promise.get_absolute_url()))
    assert "Démarrée par Arthur et Elsa" in text


def test_it_gives_the_same_rights_to_both_initiators(client, promise, initiator):
    elsa = UserFactory(display_name="Elsa")
    services.invitation_accept(invitation=_invite(promise, initiator), user=elsa)
    client.force_login(elsa)
    assert client.get(reverse("promises:edit", args=[promise.slug])).status_code == 200
    assert client.get(reverse("promises:initiators", args=[promise.slug])).status_code == 200
    assert client.get(reverse("promises:cancel", args=[promise.slug])).status_code == 200


def test_it_converts_a_participant_and_keeps_the_counter_right(pledged, initiator, participant):
    assert pledged.pledge_count == 1
    services.invitation_accept(invitation=_invite(pledged, initiator), user=participant)
    pledged.refresh_from_db()
    assert pledged.pledge_count == 0 == _active_others(pledged)
    assert Pledge.objects.get(promise=pledged, user=participant).is_initiator


def test_it_keeps_a_reached_promise_reached_when_a_participant_co_leads(promise, initiator):
    people = reach(promise)
    assert promise.is_reached and promise.pledge_count == 3

    services.invitation_accept(invitation=_invite(promise, initiator), user=people[0])

    promise.refresh_from_db()
    # The state never goes back; the counter says what COUNT(*) says.
    assert promise.state == Promise.State.REACHED
    assert promise.pledge_count == 2 == _active_others(promise)


def test_it_sends_an_anonymous_invitee_to_log_in_and_back(client, promise, initiator):
    invitation = _invite(promise, initiator)
    response = client.get(_accept_url(invitation))
    assert response.status_code == 302
    login, _, query = response["Location"].partition("?")
    assert login == reverse("account_login")
    assert "next=" in query and invitation.token in query


def test_it_tells_another_account_where_the_invitation_was_sent(client, promise, initiator):
    invitation = _invite(promise, initiator)
    client.force_login(UserFactory(email="autre@example.org"))
    text = page_text(client.get(_accept_url(invitation)))
    assert "elsa@example.org" in text
    assert "pas celle de l'invitation" in text


def test_it_cannot_be_accepted_twice(client, promise, initiator):
    invitation = _invite(promise, initiator)
    first, second = UserFactory(), UserFactory()
    services.invitation_accept(invitation=invitation, user=first)
    client.force_login(second)

    assert "déjà été acceptée" in page_text(client.get(_accept_url(invitation)))
    response = client.post(_accept_url(invitation), follow=True)

    assert "déjà été acceptée" in page_text(response)
    assert not Pledge.objects.filter(promise=promise, user=second).exists()
    with pytest.raises(Refusal):
        services.invitation_accept(invitation=invitation, user=second)


def test_it_cannot_be_accepted_once_the_promise_is_cancelled(client, promise, initiator):
    invitation = _invite(promise, initiator)
    services.promise_cancel(promise=promise)
    newcomer = UserFactory()
    client.force_login(newcomer)

    client.post(_accept_url(invitation))

    assert not Pledge.objects.filter(promise=promise, user=newcomer).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_it_refuses_an_unknown_token(client, promise, outsider):
    client.force_login(outsider)
    url = reverse("promises:invitation", args=[promise.slug, "pas-le-bon-jeton"])
    assert client.get(url).status_code == 404


def test_it_lets_an_initiator_leave_when_another_remains(client, promise, initiator):
    elsa = UserFactory(display_name="Elsa")
    services.invitation_accept(invitation=_invite(promise, initiator), user=elsa)
    client.force_login(initiator)
    url = reverse("promises:leave", args=[promise.slug])
    assert "Quitter l'équipe" in page_text(client.get(url))  # a confirmation first

    response = client.post(url)

    assert response.status_code == 302
    pledge = Pledge.objects.get(promise=promise, user=initiator)
    assert not pledge.is_initiator and pledge.status == Pledge.Status.WITHDRAWN
    assert client.get(reverse("promises:edit", args=[promise.slug])).status_code == 403
    # Promising again makes them a participant, counted, not an initiator.
    services.pledge_create(promise=promise, user=initiator)
    promise.refresh_from_db()
    assert promise.pledge_count == 1 == _active_others(promise)


def test_it_refuses_to_let_the_last_initiator_leave(client, promise, initiator):
    client.force_login(initiator)
    url = reverse("promises:leave", args=[promise.slug])
    assert "Vous êtes le dernier initiateur" in page_text(client.get(url))

    response = client.post(url, follow=True)

    assert "Vous êtes le dernier initiateur" in page_text(response)
    assert Pledge.objects.get(promise=promise, user=initiator).is_initiator
