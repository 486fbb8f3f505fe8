"""Deleting one's account (accounts.deletion, /moi/supprimer/): a tombstone without personal
data; pledges withdrawn before the objective, kept as "Compte supprimé" after it; promises led
alone cancelled or closed; posts, photos and replies gone; every counter equal to its
COUNT(*), also under a concurrent pledge."""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts import deletion
from accounts.models import DELETED_NAME, DataExport, User
from accounts.services import moderator_grant
from accounts.tests.factories import PASSWORD, UserFactory
from discussions import services as discussion_services
from discussions.models import Comment, Post, Report
from notifications.models import Broadcast, EmailPreference
from onpromet.errors import Refusal
from onpromet.photos import process_photo
from onpromet.tests.images import image_upload
from promises import emails as promise_emails
from promises import services
from promises.figures import promise_figures
from promises.models import Invitation, Pledge, Promise, Recap, Update
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text, race

URL = "/moi/supprimer/"


def counter_is_true(promise: Promise) -> bool:
    promise.refresh_from_db()
    return promise.pledge_count == promise.pledges.participants().count()


def figures_of(promise: Promise) -> dict:
    figures = promise_figures(promise)
    return {
        name: getattr(figures, name)
        for name in (
            "initiators",
            "participants",
            "at_reached",
            "joined_late",
            "kept",
            "abandoned",
            "brought",
            "counted",
        )
    }


def pledge_of(promise: Promise, user: User) -> Pledge:
    return Pledge.objects.get(promise=promise, user=user)


# --- The tombstone -------------------------------------------------------------------------


def test_it_leaves_a_row_without_personal_data(participant):
    email = participant.email
    participant.groups.add(Group.objects.create(name="Bénévoles"))
    EmailPreference.objects.create(
        user=participant, topic=promise_emails.TOPIC_ACTION, cadence="never"
    )
    from django.http import QueryDict
    from django.utils import timezone

    from notifications.models import Digest
    from promises import alerts
    from promises.models import Alert

    alerts.alert_create(user=participant, data=QueryDict("q=plage"))
    Digest.objects.create(
        user=participant,
        cadence="weekly",
        period_start=timezone.now(),
        period_end=timezone.now(),
        sources={"alerts": {"alerts": []}},
    )

    deletion.account_delete(user=participant)

    user = User.objects.get(pk=participant.pk)
    assert user.deleted_at is not None
    assert user.email != email and user.email.endswith(".invalid")
    assert user.display_name == ""
    assert user.appears_anonymously
    assert not user.has_usable_password()
    assert not user.is_active and not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email__iexact=email).exists()
    assert not EmailPreference.objects.filter(user=user).exists()
    assert not Alert.objects.filter(user=user).exists()
    assert not Digest.objects.filter(user=user).exists()
    assert user.public_name == DELETED_NAME


def test_it_takes_a_moderator_role_away_with_the_account(moderator):
    deletion.account_delete(user=moderator)

    moderator.refresh_from_db()
    assert not moderator.is_staff
    assert not moderator.groups.exists()


def test_it_refuses_to_delete_twice(participant):
    deletion.account_delete(user=participant)

    with pytest.raises(Refusal, match="déjà supprimé"):
        deletion.account_delete(user=participant)


def test_it_refuses_what_only_a_superuser_may_delete(moderator, outsider, superuser):
    other_moderator = UserFactory()
    moderator_grant(user=other_moderator)

    with pytest.raises(Refusal, match="superutilisateur"):
        deletion.account_delete(user=other_moderator, by=moderator)
    with pytest.raises(Refusal, match="modération"):
        deletion.account_delete(user=moderator, by=outsider)
    with pytest.raises(Refusal, match="votre propre compte"):
        deletion.account_delete(user=superuser, by=superuser)

    deletion.account_delete(user=other_moderator, by=superuser)
    other_moderator.refresh_from_db()
    assert other_moderator.deleted_at is not None


def test_it_fails_the_log_in_with_the_old_address_and_lets_it_sign_up_again(client, participant):
    email = participant.email
    deletion.account_delete(user=participant)

    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Paula de retour",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(email=email)
    assert newcomer.pk != participant.pk
    assert newcomer.display_name == "Paula de retour"
    assert User.objects.get(pk=participant.pk).deleted_at is not None


# --- Pledges: before and after the objective -----------------------------------------------


def test_it_withdraws_a_pledge_before_the_objective(pledged, participant):
    assert pledged.pledge_count == 1

    deletion.account_delete(user=participant)

    assert pledge_of(pledged, participant).status == Pledge.Status.WITHDRAWN
    assert counter_is_true(pledged)
    assert pledged.pledge_count == 0
    assert pledged.state == Promise.State.OPEN


def test_it_withdraws_a_pending_pledge(promise):
    unconfirmed = UserFactory(verified=False)
    services.pledge_create(promise=promise, user=unconfirmed)
    assert pledge_of(promise, unconfirmed).is_pending

    deletion.account_delete(user=unconfirmed)

    assert pledge_of(promise, unconfirmed).status == Pledge.Status.WITHDRAWN
    assert counter_is_true(promise)


def test_it_keeps_a_pledge_counted_after_the_objective(client, promise, participant):
    services.pledge_create(promise=promise, user=participant)
    reach(promise, extra=1)
    assert promise.is_reached
    before = figures_of(promise)

    deletion.account_delete(user=participant)

    pledge = pledge_of(promise, participant)
    assert pledge.status == Pledge.Status.ACTIVE
    assert counter_is_true(promise)
    assert promise.pledge_count == before["counted"]
    assert promise.state == Promise.State.REACHED
    assert figures_of(promise) == before
    page = page_text(client.get(promise.get_absolute_url()))
    assert DELETED_NAME in page
    assert "Paula" not in page


def test_it_erases_the_abandon_reason_and_keeps_the_figures(promise, participant):
    services.pledge_create(promise=promise, user=participant)
    reach(promise)
    services.pledge_abandon(promise=promise, user=participant, reason="Je me suis blessée")
    before = figures_of(promise)

    deletion.account_delete(user=participant)

    pledge = pledge_of(promise, participant)
    assert pledge.status == Pledge.Status.ABANDONED
    assert pledge.abandon_reason == ""
    assert figures_of(promise) == before
    assert counter_is_true(promise)


def test_it_keeps_the_pledge_on_a_finished_promise_and_its_bilan(promise, participant, initiator):
    services.pledge_create(promise=promise, user=participant)
    reach(promise)
    services.recap_save(promise=promise, author=initiator, text="Nous l'avons fait.")
    services.recap_publish(promise=promise)
    before = figures_of(promise)

    deletion.account_delete(user=participant)

    assert pledge_of(promise, participant).status == Pledge.Status.ACTIVE
    assert figures_of(promise) == before
    assert counter_is_true(promise)


# --- Promises led ----------------------------------------------------------------------------


def test_it_cancels_an_open_promise_led_alone(pledged, initiator, participant):
    deletion.account_delete(user=initiator)

    pledged.refresh_from_db()
    assert pledged.state == Promise.State.CANCELLED
    assert Broadcast.objects.filter(promise=pledged, kind=promise_emails.CANCELLED).exists()
    # The participants stay as they were, on a promise that no longer counts.
    assert pledge_of(pledged, participant).status == Pledge.Status.ACTIVE
    assert counter_is_true(pledged)


def test_it_closes_a_reached_promise_led_alone_and_keeps_it_readable(
    client, promise, initiator, participant
):
    services.pledge_create(promise=promise, user=participant)
    reach(promise)
    services.update_create(promise=promise, author=initiator, text="Rendez-vous à 9 h.")
    before = figures_of(promise)

    deletion.account_delete(user=initiator)

    promise.refresh_from_db()
    assert promise.state == Promise.State.FINISHED
    assert not Recap.objects.filter(promise=promise).exists()
    assert not Broadcast.objects.filter(promise=promise, kind=promise_emails.CANCELLED).exists()
    assert counter_is_true(promise)
    assert figures_of(promise) == {**before, "counted": promise.pledge_count}
    # The news stays, signed "Compte supprimé".
    assert Update.objects.get(promise=promise).author_id == initiator.pk
    response = client.get(promise.get_absolute_url())
    assert response.status_code == 200
    page = page_text(response)
    assert "plus personne ne la mène" in page
    assert reverse("promises:pledge", args=[promise.slug]) not in page  # no more pledges
    assert DELETED_NAME in page
    client.force_login(participant)
    dashboard = page_text(client.get(reverse("dashboard")))
    assert reverse("promises:recap", args=[promise.slug]) not in dashboard


def test_it_hands_a_promise_to_its_co_initiator(pledged, initiator, outsider):
    invitation = services.invitation_create(
        promise=pledged, invited_by=initiator, email=outsider.email
    )
    services.invitation_accept(invitation=invitation, user=outsider)

    deletion.account_delete(user=initiator)

    pledged.refresh_from_db()
    assert pledged.state == Promise.State.OPEN
    assert list(pledged.pledges.initiators().values_list("user", flat=True)) == [outsider.pk]
    assert not Broadcast.objects.filter(promise=pledged, kind=promise_emails.CANCELLED).exists()
    assert counter_is_true(pledged)


def test_it_keeps_a_reached_promise_with_its_co_initiator(promise, initiator, outsider):
    invitation = services.invitation_create(
        promise=promise, invited_by=initiator, email=outsider.email
    )
    services.invitation_accept(invitation=invitation, user=outsider)
    reach(promise)

    deletion.account_delete(user=initiator)

    promise.refresh_from_db()
    assert promise.state == Promise.State.REACHED
    assert promise.pledges.initiators().filter(user=outsider).exists()


def test_it_removes_the_pending_invitations_sent_by_or_to_the_person(
    pledged, initiator, participant, outsider
):
    services.invitation_create(promise=pledged, invited_by=initiator, email=participant.email)
    services.invitation_create(promise=pledged, invited_by=initiator, email="elsa@example.org")
    other = PromiseFactory(created_by=participant)
    services.invitation_create(promise=other, invited_by=participant, email=outsider.email)

    deletion.account_delete(user=participant)

    assert list(Invitation.objects.values_list("email", flat=True)) == ["elsa@example.org"]


# --- Discussions -----------------------------------------------------------------------------


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.mark.django_db(transaction=True)
def test_it_deletes_posts_photos_and_replies_and_keeps_the_others(initiator, participant, outsider):
    # transaction=True: the files are deleted once the deletion has committed.
    promise = PromiseFactory(created_by=initiator, objective=3)
    services.pledge_create(promise=promise, user=participant)
    services.pledge_create(promise=promise, user=outsider)
    own = discussion_services.post_create(
        promise=promise,
        author=participant,
        text="Ma photo",
        photo=process_photo(image_upload()),
    )
    reply_to_own = discussion_services.comment_create(post=own, author=outsider, text="Bravo")
    others = discussion_services.post_create(promise=promise, author=initiator, text="9 h")
    own_reply = discussion_services.comment_create(post=others, author=participant, text="OK")
    kept_reply = discussion_services.comment_create(post=others, author=outsider, text="Moi aussi")
    discussion_services.report_create(reporter=participant, content=others, reason="spam")
    discussion_services.report_create(reporter=initiator, content=own, reason="spam")
    outsider_post = discussion_services.post_create(promise=promise, author=outsider, text="Là")
    kept_report = discussion_services.report_create(
        reporter=initiator, content=outsider_post, reason="spam"
    )
    photos = {own.photo.name, own.thumbnail.name}
    assert photos <= media_files()
    version = Promise.objects.get(pk=promise.pk).version

    deletion.account_delete(user=participant)

    assert not Post.objects.filter(pk=own.pk).exists()
    assert not Comment.objects.filter(pk__in=[reply_to_own.pk, own_reply.pk]).exists()
    assert set(Post.objects.values_list("pk", flat=True)) == {others.pk, outsider_post.pk}
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept_reply.pk]
    assert list(Report.objects.values_list("pk", flat=True)) == [kept_report.pk]
    assert not photos & media_files()
    assert Promise.objects.get(pk=promise.pk).version > version  # the page caches move on


def test_it_keeps_the_files_when_the_deletion_rolls_back(participant, pledged, monkeypatch):
    post = discussion_services.post_create(
        promise=pledged, author=participant, text="", photo=process_photo(image_upload())
    )

    def fail(user):
        raise RuntimeError("an eraser failed")

    monkeypatch.setitem(deletion.ERASERS, "zz-failing", deletion.Eraser("zz-failing", 99, fail))
    with pytest.raises(RuntimeError):
        deletion.account_delete(user=participant)

    assert Post.objects.filter(pk=post.pk).exists()
    assert post.photo.name in media_files()
    participant.refresh_from_db()
    assert participant.deleted_at is None and participant.is_active
    assert pledge_of(pledged, participant).status == Pledge.Status.ACTIVE


# --- Under a concurrent pledge ---------------------------------------------------------------


@pytest.mark.parametrize("attempt", range(4))
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_counter_true_under_a_concurrent_pledge(attempt):
    """The objective is 2 and one person counts: the newcomer's pledge and the deletion race.
    Deletion first: the pledge is withdrawn (0), then the newcomer counts (1). Pledge first:
    the objective is reached (2), and the deleted person's pledge stays counted. Either way
    the counter equals COUNT(*)."""
    promise = PromiseFactory(objective=2)
    leaving, newcomer = UserFactory(), UserFactory()
    services.pledge_create(promise=promise, user=leaving)

    errors = race(
        lambda job: job(),
        [
            (lambda: deletion.account_delete(user=leaving),),
            (lambda: services.pledge_create(promise=promise, user=newcomer),),
        ],
    )

    assert errors == []
    promise.refresh_from_db()
    assert counter_is_true(promise)
    if promise.is_reached:
        assert promise.pledge_count == 2
        assert pledge_of(promise, leaving).is_active
    else:
        assert promise.pledge_count == 1
        assert pledge_of(promise, leaving).status == Pledge.Status.WITHDRAWN
    assert User.objects.get(pk=leaving.pk).deleted_at is not None


# --- The page /moi/supprimer/ ----------------------------------------------------------------


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_it_explains_what_happens_and_asks_for_the_password(client, participant):
    client.force_login(participant)

    response = client.get(URL)

    assert response.status_code == 200
    page = page_text(response)
    for words in (
        "ne peut pas être annulée",
        "objectif n'est pas encore atteint",
        "Compte supprimé",
        "vos messages et vos photos sont supprimés",
        "une promesse encore en cours est annulée",
        "Téléchargez d'abord vos données",
    ):
        assert words in page, words
    assert 'href="/moi/donnees/"' in page
    assert 'name="password"' in page
    assert 'autocomplete="current-password"' in page


def test_it_is_linked_from_the_profile(client, participant):
    client.force_login(participant)
    assert f'href="{URL}"' in client.get("/moi/profil/").content.decode()


def test_it_refuses_a_wrong_password_and_deletes_nothing(client, pledged, participant):
    client.force_login(participant)

    response = client.post(URL, {"password": "pas-le-bon"})

    assert response.status_code == 200
    assert "Ce mot de passe n'est pas le bon" in page_text(response)
    participant.refresh_from_db()
    assert participant.deleted_at is None and participant.is_active
    assert pledge_of(pledged, participant).is_active
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_refuses_an_empty_password(client, participant):
    client.force_login(participant)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "Saisissez votre mot de passe" in page_text(response)


def test_it_deletes_the_account_and_logs_out(client, pledged, participant):
    client.force_login(participant)
    elsewhere = Client()
    elsewhere.force_login(participant)  # the same person, on their phone

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Votre compte est supprimé." in page_text(client.get("/"))
    participant.refresh_from_db()
    assert participant.deleted_at is not None
    assert counter_is_true(pledged)
    for session in (client, elsewhere):
        response = session.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_a_post_without_csrf_token(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 403
    participant.refresh_from_db()
    assert participant.deleted_at is None


@pytest.mark.django_db(transaction=True)
def test_it_deletes_the_data_archives():
    # transaction=True: the file is deleted once the deletion has committed.
    participant = UserFactory()
    archive = DataExport.objects.create(user=participant)
    archive.file.save("archive.zip", ContentFile(b"PK"), save=True)
    other = DataExport.objects.create(user=UserFactory())

    deletion.account_delete(user=participant)

    assert list(DataExport.objects.values_list("pk", flat=True)) == [other.pk]
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / archive.file.name).exists()
