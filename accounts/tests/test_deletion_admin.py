"""Deleting an account from the admin: the action "Supprimer le compte (définitif)", after a
confirmation page, calls the same service as /moi/supprimer/. Moderators delete ordinary
accounts only; a superuser deletes staff accounts too, never their own here."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from accounts.models import User
from accounts.services import moderator_grant
from accounts.tests.factories import UserFactory
from promises.models import Pledge
from promises.tests.helpers import page_text

USERS = "/admin/accounts/user/"


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def action(*users, confirm: bool = False) -> dict:
    data = {"action": "delete_accounts", "_selected_action": [user.pk for user in users]}
    return {**data, "confirm": "yes"} if confirm else data


def is_deleted(user: User) -> bool:
    return User.objects.get(pk=user.pk).deleted_at is not None


def test_it_asks_the_moderator_to_confirm_first(moderator_client, pledged, participant):
    response = moderator_client.post(USERS, action(participant))

    assert response.status_code == 200
    page = page_text(response)
    assert participant.email in page
    assert "Cela ne peut pas être annulé" in page
    assert 'name="confirm" value="yes"' in page
    assert not is_deleted(participant)


def test_it_lets_a_moderator_delete_a_participant(
    moderator_client, moderator, pledged, participant
):
    response = moderator_client.post(USERS, action(participant, confirm=True))

    assert response.status_code == 302
    assert response["Location"] == USERS
    assert is_deleted(participant)
    assert Pledge.objects.get(promise=pledged, user=participant).status == Pledge.Status.WITHDRAWN
    pledged.refresh_from_db()
    assert pledged.pledge_count == pledged.pledges.participants().count() == 0
    entry = LogEntry.objects.get(object_id=str(participant.pk))
    assert entry.user == moderator
    assert "Compte supprimé" in entry.change_message
    assert "1 compte supprimé." in page_text(moderator_client.get(USERS))


def test_it_never_lets_a_moderator_delete_staff(moderator_client, moderator, superuser):
    other_moderator = UserFactory()
    moderator_grant(user=other_moderator)

    for user in (other_moderator, superuser, moderator):
        response = moderator_client.post(USERS, action(user, confirm=True))
        assert response.status_code == 302
        assert not is_deleted(user)


def test_it_lets_a_superuser_delete_a_moderator_but_not_themselves(
    superuser_client, superuser, moderator
):
    response = superuser_client.post(USERS, action(superuser, moderator))
    page = page_text(response)
    assert "Ces comptes ne seront pas supprimés" in page
    assert "votre propre compte" in page

    response = superuser_client.post(USERS, action(superuser, moderator, confirm=True))

    assert response.status_code == 302
    assert is_deleted(moderator)
    assert not is_deleted(superuser)
    moderator.refresh_from_db()
    assert not moderator.is_staff


def test_it_shows_a_deleted_account_read_only(moderator_client, participant):
    moderator_client.post(USERS, action(participant, confirm=True))

    response = moderator_client.get(f"{USERS}{participant.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="display_name"' not in page
    assert "supprimé le" in page.lower()
    # And it can be found: the filter on deleted accounts.
    response = moderator_client.get(USERS, {"deleted_at__isempty": "0"})
    assert list(response.context["cl"].result_list) == [User.objects.get(pk=participant.pk)]


def test_it_keeps_the_admin_delete_page_closed(superuser_client, participant):
    response = superuser_client.get(f"{USERS}{participant.pk}/delete/")
    assert response.status_code == 403
    assert not is_deleted(participant)


def test_it_refuses_the_action_to_an_outsider(client, outsider, participant):
    client.force_login(outsider)
    response = client.post(USERS, action(participant, confirm=True))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not is_deleted(participant)
