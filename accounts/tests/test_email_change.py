"""Changing one's email address: the new address is confirmed, then replaces the old one."""

import re

from allauth.account.models import EmailAddress
from django.conf import settings

CONFIRM_LINK = re.compile(re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/[^/\s]+/)")
NEW_EMAIL = "paula.nouvelle@example.org"


def _ask_for_change(client, user):
    client.force_login(user)
    return client.post("/accounts/email/", {"email": NEW_EMAIL, "action_add": ""})


def test_it_shows_the_current_address(client, participant):
    client.force_login(participant)
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    content = response.content.decode()
    assert participant.email in content
    assert "Changer d'adresse" in content


def test_it_sends_a_confirmation_to_the_new_address(client, participant, mailoutbox):
    old_email = participant.email
    response = _ask_for_change(client, participant)
    assert response.status_code == 302

    new = EmailAddress.objects.get(email=NEW_EMAIL)
    assert new.user == participant
    assert not new.verified
    assert not new.primary
    participant.refresh_from_db()
    assert participant.email == old_email

    assert [mail.to for mail in mailoutbox] == [[NEW_EMAIL]]
    assert CONFIRM_LINK.search(mailoutbox[0].body)

    pending = client.get("/accounts/email/").content.decode()
    assert NEW_EMAIL in pending
    assert 'style="' not in pending


def test_it_makes_the_confirmed_address_primary(client, participant, mailoutbox):
    old_email = participant.email
    _ask_for_change(client, participant)
    link = CONFIRM_LINK.search(mailoutbox[0].body).group(1)

    response = client.post(link)
    assert response.status_code == 302

    new = EmailAddress.objects.get(email=NEW_EMAIL)
    assert new.verified
    assert new.primary
    assert not EmailAddress.objects.filter(email=old_email).exists()
    participant.refresh_from_db()
    assert participant.email == NEW_EMAIL


def test_it_does_not_send_a_changed_address_to_the_last_promise_joined(
    client, pledged, participant, mailoutbox
):
    _ask_for_change(client, participant)
    link = CONFIRM_LINK.search(mailoutbox[0].body).group(1)

    response = client.post(link)
    assert response["Location"] == "/"
