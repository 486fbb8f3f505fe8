"""/mon-espace/: the promises I started and the ones I joined."""

from accounts.tests.factories import UserFactory
from promises import services

URL = "/mon-espace/"


def test_it_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_it_lists_the_promises_i_started(client, initiator, promise):
    client.force_login(initiator)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert promise.get_absolute_url() in content
    assert "Aucune pour l'instant." not in content
    assert "Vous n'avez encore promis nulle part." in content


def test_it_lists_the_promises_i_joined(client, pledged, participant):
    client.force_login(participant)
    content = client.get(URL).content.decode()
    assert pledged.get_absolute_url() in content
    assert "Vous n'avez encore promis nulle part." not in content


def test_it_marks_a_pledge_waiting_for_email_confirmation(client, promise):
    newcomer = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=newcomer)
    client.force_login(newcomer)
    content = client.get(URL).content.decode()
    assert promise.get_absolute_url() in content
    assert "en attente de confirmation de l'e-mail" in content


def test_it_leaves_out_a_withdrawn_pledge(client, pledged, participant):
    services.pledge_withdraw(promise=pledged, user=participant)
    client.force_login(participant)
    content = client.get(URL).content.decode()
    assert pledged.get_absolute_url() not in content


def test_it_does_not_list_the_promises_of_others(client, pledged, outsider):
    client.force_login(outsider)
    content = client.get(URL).content.decode()
    assert pledged.get_absolute_url() not in content
