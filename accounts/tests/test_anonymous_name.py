"""A person who chose "Anonyme" is shown so on the promises they join."""

from promises import services


def test_it_shows_anonyme_in_the_participant_list(client, promise, participant):
    participant.appears_anonymously = True
    participant.save(update_fields=["appears_anonymously"])
    services.pledge_create(promise=promise, user=participant)

    response = client.get(f"/promesses/{promise.slug}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anonyme" in content
    assert participant.display_name not in content


def test_it_shows_the_display_name_otherwise(client, pledged, participant):
    content = client.get(f"/promesses/{pledged.slug}/").content.decode()
    assert participant.display_name in content
    assert "Anonyme" not in content


def test_it_shows_an_anonymous_initiator_as_anonyme(client, initiator, promise):
    initiator.appears_anonymously = True
    initiator.save(update_fields=["appears_anonymously"])

    content = client.get(f"/promesses/{promise.slug}/").content.decode()
    assert "Démarrée par Anonyme" in content
    assert initiator.display_name not in content
