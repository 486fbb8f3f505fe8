"""Forgotten password: request a link by email, choose a new password, log in with it."""

import re

from django.conf import settings

from accounts.tests.factories import PASSWORD

RESET_LINK = re.compile(re.escape(settings.SITE_URL) + r"(/accounts/password/reset/key/[^/\s]+/)")
NEW_PASSWORD = "Nouvelle-promesse-2028"


def test_it_resets_the_password_end_to_end(client, participant, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": participant.email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert "Nous vous avons envoyé un e-mail" in client.get(response["Location"]).content.decode()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [participant.email]
    assert mail.subject == "Choisissez un nouveau mot de passe pour OnPromet"
    link = RESET_LINK.search(mail.body).group(1)

    # The link moves the key into the session, then shows the form without the key in the URL.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    assert "Choisissez un nouveau mot de passe" in page.content.decode()

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.check_password(NEW_PASSWORD)
    assert not participant.check_password(PASSWORD)

    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"login": participant.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == participant.pk


def test_it_refuses_a_used_link(client, participant, mailoutbox):
    client.post("/accounts/password/reset/", {"email": participant.email})
    link = RESET_LINK.search(mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post("/accounts/logout/")

    response = client.get(link, follow=True)
    assert "Ce lien ne fonctionne plus" in response.content.decode()
