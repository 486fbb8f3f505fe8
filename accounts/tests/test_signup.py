"""Sign-up with an email address, a password and a display name; the address must be confirmed
before the account can be used."""

import re

from allauth.account.models import EmailAddress
from django.conf import settings

from accounts.models import User
from accounts.tests.factories import PASSWORD

CONFIRM_LINK = re.compile(re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/[^/\s]+/)")


def _sign_up(client, **extra):
    data = {
        "display_name": "  Zoé   Martin ",
        "email": "zoe@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post("/accounts/signup/", data)


def test_it_shows_the_signup_form_in_french(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nom affiché" in content
    assert "Apparaître comme « Anonyme » sur les promesses" in content
    assert "Vous avez déjà un compte ?" in content


def test_it_creates_the_account_and_sends_a_confirmation_email(client, db, mailoutbox):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    user = User.objects.get(email="zoe@example.org")
    assert user.display_name == "Zoé Martin"
    assert not user.appears_anonymously
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zoe@example.org"]
    assert mail.subject == "Confirmez votre adresse e-mail sur OnPromet"
    assert mail.body.startswith("Bonjour Zoé Martin,")
    assert CONFIRM_LINK.search(mail.body)


def test_it_shows_a_french_page_after_signing_up(client, db):
    response = _sign_up(client)
    page = client.get(response["Location"])
    assert "Vérifiez votre adresse e-mail" in page.content.decode()


def test_it_records_the_anonymous_choice(client, db):
    _sign_up(client, appears_anonymously="on")
    user = User.objects.get(email="zoe@example.org")
    assert user.appears_anonymously
    assert user.public_name == "Anonyme"


def test_it_requires_a_display_name(client, db, mailoutbox):
    response = _sign_up(client, display_name="   ")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Indiquez un nom affiché." in content
    assert "is-invalid" in content
    assert not User.objects.exists()
    assert mailoutbox == []


def test_it_refuses_a_weak_password_in_french(client, db):
    response = _sign_up(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert "Ce mot de passe est trop courant." in response.content.decode()
    assert not User.objects.exists()


def test_it_does_not_log_in_before_the_address_is_confirmed(client, db):
    _sign_up(client)
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/", {"login": "zoe@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert client.get("/moi/").status_code == 302


def test_it_shows_a_button_on_the_confirmation_link_and_confirms_on_post(client, db, mailoutbox):
    _sign_up(client)
    link = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    address = EmailAddress.objects.get(email="zoe@example.org")

    page = client.get(link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Confirmer l'adresse e-mail" in content
    assert f'action="{link}"' in content
    assert '<button type="submit"' in content
    address.refresh_from_db()
    assert not address.verified  # a mail scanner following the link confirms nothing

    response = client.post(link)
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified
    assert address.primary
    assert int(client.session["_auth_user_id"]) == address.user_id


def test_it_says_when_a_confirmation_link_is_invalid(client, db):
    response = client.get("/accounts/confirm-email/pas-une-cle/")
    assert response.status_code == 200
    assert "Ce lien de confirmation" in response.content.decode()
