"""Logging in with an email address and a password, logging out with a POST."""

from accounts.tests.factories import PASSWORD


def test_it_logs_in_with_email_and_password(client, participant):
    response = client.post("/accounts/login/", {"login": participant.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == participant.pk


def test_it_accepts_the_email_address_in_another_case(client, participant):
    response = client.post(
        "/accounts/login/", {"login": participant.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == participant.pk


def test_it_follows_next_after_logging_in(client, participant):
    response = client.post(
        "/accounts/login/?next=/moi/",
        {"login": participant.email, "password": PASSWORD, "next": "/moi/"},
    )
    assert response["Location"] == "/moi/"


def test_it_refuses_a_wrong_password_in_french(client, participant):
    response = client.post("/accounts/login/", {"login": participant.email, "password": "faux"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in content
    assert "alert-danger" in content
    assert "_auth_user_id" not in client.session


def test_it_asks_before_logging_out_on_get(client, participant):
    client.force_login(participant)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert "Voulez-vous vous déconnecter d'OnPromet ?" in response.content.decode()
    assert "_auth_user_id" in client.session


def test_it_logs_out_on_post(client, participant):
    client.force_login(participant)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_it_offers_logout_as_a_form_in_the_menu(client, participant):
    client.force_login(participant)
    content = client.get("/").content.decode()
    assert '<form method="post" action="/accounts/logout/">' in content
