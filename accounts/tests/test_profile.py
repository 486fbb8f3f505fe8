"""/moi/profil/: one's display name and the choice to appear as "Anonyme"."""

URL = "/moi/profil/"


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_it_shows_the_current_profile(client, participant):
    client.force_login(participant)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'value="{participant.display_name}"' in content
    assert 'for="id_display_name"' in content


def test_it_saves_the_display_name_and_the_anonymous_choice(client, participant):
    client.force_login(participant)
    response = client.post(URL, {"display_name": "  Paula   Martin ", "appears_anonymously": "on"})
    assert response.status_code == 302
    assert response["Location"] == URL
    participant.refresh_from_db()
    assert participant.display_name == "Paula Martin"
    assert participant.appears_anonymously
    assert "Votre profil est enregistré." in client.get(URL).content.decode()


def test_it_lets_one_appear_by_name_again(client, participant):
    participant.appears_anonymously = True
    participant.save(update_fields=["appears_anonymously"])
    client.force_login(participant)
    client.post(URL, {"display_name": participant.display_name})
    participant.refresh_from_db()
    assert not participant.appears_anonymously


def test_it_refuses_a_blank_name_in_french(client, participant):
    client.force_login(participant)
    response = client.post(URL, {"display_name": "   "})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Indiquez un nom affiché." in content
    assert "is-invalid" in content
    participant.refresh_from_db()
    assert participant.display_name == "Paula"
