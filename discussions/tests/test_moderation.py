import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.tests.factories import UserFactory
from discussions import services
from discussions.models import MASKED_TEXT, Comment, Report
from promises.models import Promise
from promises.tests.helpers import page_text


def report_url(kind, pk):
    return reverse("discussions:report", args=[kind, pk])


def test_it_lets_anyone_logged_in_report_a_post_with_a_reason(as_user, post):
    client = as_user("outsider")
    assert "Pourquoi signalez-vous ce contenu ?" in page_text(
        client.get(report_url("message", post.pk))
    )
    response = client.post(report_url("message", post.pk), {"reason": "spam", "details": "Pub"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.content, report.reason, report.details) == (post, "spam", "Pub")


def test_it_asks_anonymous_visitors_to_log_in_to_report(as_user, post):
    response = as_user("anonymous").post(report_url("message", post.pk), {"reason": "spam"})
    assert reverse("account_login") in response["Location"]
    assert not Report.objects.exists()


def test_it_refuses_a_report_without_reason_in_french(as_user, post):
    response = as_user("outsider").post(report_url("message", post.pk), {})
    assert "Choisissez une raison." in page_text(response)


def test_it_counts_one_report_per_person(as_user, post):
    client = as_user("outsider")
    client.post(report_url("message", post.pk), {"reason": "spam"})
    response = client.post(report_url("message", post.pk), {"reason": "abuse"}, follow=True)
    assert "déjà signalé" in page_text(response)
    assert Report.objects.count() == 1


def test_it_refuses_reporting_ones_own_post(as_user, post):
    assert (
        as_user("participant").post(report_url("message", post.pk), {"reason": "spam"}).status_code
        == 403
    )


def test_it_answers_404_for_unknown_content(as_user, post):
    assert as_user("outsider").get(report_url("chose", post.pk)).status_code == 404
    assert as_user("outsider").get(report_url("message", 999999)).status_code == 404


def test_it_hides_content_reported_by_three_people_until_a_moderator_looks(post):
    for reporter in UserFactory.create_batch(2):
        services.report_create(reporter=reporter, content=post, reason="abuse")
    post.refresh_from_db()
    assert not post.is_hidden
    services.report_create(reporter=UserFactory(), content=post, reason="abuse")
    post.refresh_from_db()
    assert post.is_hidden
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 3  # still to examine


def test_it_hides_a_promise_reported_by_three_people(pledged):
    for reporter in UserFactory.create_batch(3):
        services.report_create(reporter=reporter, content=pledged, reason="danger")
    pledged.refresh_from_db()
    assert pledged.is_hidden
    assert not Promise.objects.listed().filter(pk=pledged.pk).exists()


@pytest.mark.parametrize(
    ("who", "masked"),
    [
        ("anonymous", True),
        ("outsider", True),
        ("initiator", True),
        ("participant", False),
        ("moderator", False),
    ],
)
def test_it_masks_hidden_posts_for_everyone_but_author_and_moderators(as_user, post, who, masked):
    services.content_set_hidden(content=post, hidden=True)
    text = page_text(as_user(who).get(post.promise.get_absolute_url()))
    assert (MASKED_TEXT in text) is masked
    assert ("On se retrouve à 9 h ?" in text) is not masked


def test_it_masks_the_posts_and_replies_of_a_deactivated_account(as_user, post, initiator):
    comment = services.comment_create(post=post, author=initiator, text="Réponse de l'initiateur")
    account_services.user_deactivate(user=post.author)
    text = page_text(as_user("outsider").get(post.promise.get_absolute_url()))
    assert "On se retrouve à 9 h ?" not in text
    assert "Réponse de l'initiateur" in text  # initiator still active
    Comment.objects.filter(pk=comment.pk)  # untouched
    post.author.refresh_from_db()
    assert not post.author.is_active


def test_it_lets_moderators_hide_unhide_and_dismiss_from_the_admin(client, moderator, post):
    for reporter in UserFactory.create_batch(2):
        services.report_create(reporter=reporter, content=post, reason="spam")
    client.force_login(moderator)
    changelist = reverse("admin:discussions_report_changelist")
    text = page_text(client.get(changelist))
    assert "On se retrouve à 9 h ?" in text
    ids = list(Report.objects.values_list("pk", flat=True))

    client.post(changelist, {"action": "hide_content", "_selected_action": ids})
    post.refresh_from_db()
    assert post.is_hidden
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.HIDDEN}

    client.post(changelist, {"action": "unhide_content", "_selected_action": ids})
    post.refresh_from_db()
    assert not post.is_hidden


def test_it_lets_moderators_dismiss_reports(client, moderator, post):
    services.report_create(reporter=UserFactory(), content=post, reason="spam")
    client.force_login(moderator)
    client.post(
        reverse("admin:discussions_report_changelist"),
        {
            "action": "dismiss",
            "_selected_action": list(Report.objects.values_list("pk", flat=True)),
        },
    )
    assert Report.objects.get().status == Report.Status.DISMISSED
    post.refresh_from_db()
    assert not post.is_hidden


def test_it_lets_moderators_deactivate_an_account_from_the_admin(client, moderator, post):
    client.force_login(moderator)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [post.author_id]},
    )
    post.author.refresh_from_db()
    assert not post.author.is_active


def test_it_shows_again_content_hidden_by_reports_when_a_moderator_dismisses_them(post):
    for reporter in UserFactory.create_batch(3):
        services.report_create(reporter=reporter, content=post, reason="spam")
    post.refresh_from_db()
    assert post.is_hidden
    assert services.reports_dismiss(content=post) == 3
    post.refresh_from_db()
    assert not post.is_hidden
