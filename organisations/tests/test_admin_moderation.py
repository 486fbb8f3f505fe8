"""Moderators in the admin, on organisations: they verify, deactivate, hide and re-show, revoke
a domain and remove a member, with the limits they have for people (no deletion, no roles);
organisations can be reported like promises."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.tests.factories import UserFactory
from discussions import services as discussion_services
from discussions.models import Report
from organisations import services
from organisations.models import Membership, Organisation


@pytest.fixture
def acme(db):
    boss = UserFactory(email="boss@acme.fr", display_name="Boss")
    return services.organisation_create(
        user=boss, name="ACME", kind=Organisation.Kind.COMPANY, email_domain="acme.fr"
    )


def changelist(client, model: str = "organisation") -> str:
    return reverse(f"admin:organisations_{model}_changelist")


def act(client, action: str, ids, model: str = "organisation"):
    return client.post(
        changelist(client, model),
        {"action": action, "_selected_action": [str(pk) for pk in ids]},
        follow=True,
    )


def test_the_creator_s_confirmed_address_on_the_domain_proves_it(acme):
    assert acme.domain_verified_at is not None
    assert acme.joins_by_domain


def test_a_moderator_verifies_deactivates_hides_and_revokes(client, moderator, acme):
    client.force_login(moderator)
    assert client.get(changelist(client)).status_code == 200

    act(client, "verify", [acme.pk])
    acme.refresh_from_db()
    assert acme.is_verified

    act(client, "revoke_domain", [acme.pk])
    acme.refresh_from_db()
    assert acme.domain_verified_at is None and not acme.joins_by_domain

    act(client, "hide", [acme.pk])
    acme.refresh_from_db()
    assert acme.is_hidden and acme.hidden_at is not None
    act(client, "unhide", [acme.pk])
    acme.refresh_from_db()
    assert not acme.is_hidden

    act(client, "deactivate", [acme.pk])
    acme.refresh_from_db()
    assert not acme.is_active
    # Deactivated, nobody joins it any more.
    newcomer = UserFactory(email="new@acme.fr")
    with pytest.raises(Exception, match="plus active"):
        services.join_by_link(organisation=acme, token=acme.join_token, user=newcomer)


def test_moderators_cannot_delete_nor_add_nor_change_roles(client, moderator, acme):
    client.force_login(moderator)
    assert client.get(reverse("admin:organisations_organisation_add")).status_code == 403
    delete = reverse("admin:organisations_organisation_delete", args=[acme.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=acme.pk).exists()
    membership = Membership.objects.get(organisation=acme)
    change = reverse("admin:organisations_membership_change", args=[membership.pk])
    client.post(change, {"role": Membership.Role.MEMBER})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_a_moderator_removes_a_member_through_the_service(client, moderator, acme):
    member = UserFactory()
    Membership.objects.create(organisation=acme, user=member, via=Membership.Via.LINK)
    client.force_login(moderator)
    membership = Membership.objects.get(organisation=acme, user=member)
    response = act(client, "remove", [membership.pk], model="membership")
    assert "1 membre retiré." in response.content.decode()
    assert not Membership.objects.filter(organisation=acme, user=member).exists()


def test_the_invitation_token_is_never_shown_in_the_admin(client, moderator, acme):
    invitation = services.invitation_create(
        organisation=acme, by=acme.memberships.get().user, email="x@example.org", role="membre"
    )
    client.force_login(moderator)
    page = client.get(reverse("admin:organisations_invitation_change", args=[invitation.pk]))
    assert page.status_code == 200
    assert invitation.token not in page.content.decode()


def test_three_reports_hide_an_organisation_until_a_moderator_looks(acme):
    for _ in range(Report.REPORTS_TO_HIDE):
        discussion_services.report_create(
            reporter=UserFactory(), content=acme, reason=Report.Reason.SPAM
        )
    acme.refresh_from_db()
    assert acme.is_hidden
    discussion_services.reports_dismiss(content=acme)
    acme.refresh_from_db()
    assert not acme.is_hidden


def test_someone_logged_in_reports_an_organisation(client, acme, outsider):
    client.force_login(outsider)
    url = reverse("discussions:report", args=["organisation", acme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": Report.Reason.SPAM, "details": "Arnaque"})
    assert response.status_code == 302
    assert Report.objects.get().content == acme


def test_a_look_alike_address_does_not_prove_a_domain(db):
    boss = UserFactory(email="boss@acme.fr.evil.com")
    EmailAddress.objects.filter(user=boss).update(verified=True)
    organisation = services.organisation_create(
        user=boss, name="Fausse ACME", kind=Organisation.Kind.COMPANY, email_domain="acme.fr"
    )
    assert organisation.domain_verified_at is None


def test_the_data_export_holds_the_person_s_memberships_only(acme):
    from accounts.export import SECTIONS

    boss = acme.memberships.get().user
    other = UserFactory(display_name="Collègue")
    Membership.objects.create(organisation=acme, user=other, via=Membership.Via.LINK)
    services.invitation_create(organisation=acme, by=boss, email="invite@acme.fr", role="membre")
    data = SECTIONS["organisations"].collect(boss).data
    assert [m["organisation"] for m in data["membre de"]] == ["ACME"]
    assert data["membre de"][0]["rôle"] == "admin"
    assert [i["adresse invitée"] for i in data["invitations envoyées"]] == ["invite@acme.fr"]
    assert "Collègue" not in str(data)


def test_a_revoked_domain_is_not_proven_again_until_it_changes(acme):
    boss = acme.memberships.get().user
    services.domain_revoke(organisation=acme)
    assert not services.domain_prove(organisation=acme, by=boss)
    services.organisation_update(organisation=acme, by=boss, email_domain="acme.fr")
    acme.refresh_from_db()
    assert acme.domain_verified_at is None and acme.domain_revoked_at is not None
    EmailAddress.objects.create(user=boss, email="boss@acme.com", verified=True)
    services.organisation_update(organisation=acme, by=boss, email_domain="acme.com")
    acme.refresh_from_db()
    assert acme.domain_verified_at is not None and acme.domain_revoked_at is None


def test_a_moderator_takes_back_an_abusive_commitment(client, moderator, acme):
    from promises.commitments import commitment_propose
    from promises.models import Commitment
    from promises.tests.factories import PromiseFactory

    promise = PromiseFactory(objective=10)
    boss = acme.memberships.get().user
    commitment = commitment_propose(
        organisation=acme, promise=promise, user=boss, text="offre des insultes"
    )
    client.force_login(moderator)
    response = client.post(
        reverse("admin:promises_commitment_changelist"),
        {"action": "withdraw", "_selected_action": [str(commitment.pk)]},
        follow=True,
    )
    assert "1 engagement retiré." in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.WITHDRAWN
