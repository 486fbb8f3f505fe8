import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from promises.tests.factories import PromiseFactory


def test_it_makes_someone_a_moderator_who_can_hide_a_promise(client, outsider, initiator):
    promise = PromiseFactory(created_by=initiator)
    call_command("moderator", outsider.email)
    outsider.refresh_from_db()
    assert outsider.is_staff and not outsider.is_superuser

    client.force_login(outsider)
    changelist = reverse("admin:promises_promise_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:discussions_report_changelist")).status_code == 200
    client.post(changelist, {"action": "hide", "_selected_action": [promise.pk]})
    promise.refresh_from_db()
    assert promise.is_hidden
    # Moderators change and hide; they delete nothing.
    assert not outsider.has_perm("promises.delete_promise")


def test_it_removes_the_role(outsider):
    call_command("moderator", outsider.email)
    call_command("moderator", outsider.email, "--retirer")
    outsider.refresh_from_db()
    assert not outsider.is_staff
    assert not outsider.groups.exists()


def test_it_says_when_the_address_is_unknown(db):
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("moderator", "personne@example.org")
