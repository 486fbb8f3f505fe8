"""The outbox's admin is for moderators only."""

from django.urls import reverse


def test_it_refuses_the_outbox_admin_to_outsiders(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("admin:notifications_broadcast_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
