"""Unsubscribing in one click from an email, and choosing one's topics in the preferences."""

from django.test import Client
from django.urls import reverse

from discussions.emails import TOPIC_INITIATOR_POSTS
from notifications import services
from notifications.emails import unsubscribe_token
from notifications.models import EmailPreference
from promises.emails import TOPIC_ACTION, TOPIC_OUTCOME
from promises.tests.helpers import page_text

# Every topic, promises' and discussions' (their keys are stored: never renamed).
EVERY_TOPIC = {
    "action",
    "outcome",
    "replies",
    "initiator_posts",
    "updates",
    "reminders",
    "recaps",
    "relaunches",
    "initiator_reminders",
    "commitments",
    "activity",
    "alerts",
}


def url_for(user, topic=TOPIC_ACTION):
    return reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, topic=topic)]
    )


def test_it_only_asks_on_get(client, participant):
    text = page_text(client.get(url_for(participant)))
    assert "Ne plus recevoir ces e-mails ?" in text
    assert "Objectif atteint" in text
    assert not EmailPreference.objects.exists()


def test_it_unsubscribes_at_once_on_post_without_login_or_csrf_token(participant):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(participant), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "C'est fait" in page_text(response)
    assert list(EmailPreference.objects.values_list("user", "topic", "cadence")) == [
        (participant.pk, TOPIC_ACTION, "never")
    ]


def test_it_is_idempotent(client, participant):
    client.post(url_for(participant))
    client.post(url_for(participant))
    assert EmailPreference.objects.count() == 1


def test_it_refuses_a_forged_token(client, participant):
    response = client.post(f"/notifications/desabonnement/{participant.pk}-action/")
    assert response.status_code == 404
    assert "n'est pas valide" in page_text(response)
    assert not EmailPreference.objects.exists()


def test_it_lets_a_user_choose_topics_in_preferences(client, participant):
    client.force_login(participant)
    url = reverse("notifications:preferences")
    page = page_text(client.get(url))
    assert "Objectif atteint" in page
    # Everything on by default, except initiators' posts: nobody is flooded.
    assert services.topics_wanted(user=participant) == EVERY_TOPIC - {TOPIC_INITIATOR_POSTS}
    wanted = {TOPIC_OUTCOME: "immediate", TOPIC_INITIATOR_POSTS: "weekly"}
    client.post(url, {key: wanted.get(key, "never") for key in EVERY_TOPIC})
    off = EmailPreference.objects.filter(cadence="never").values_list("topic", flat=True)
    assert set(off) == EVERY_TOPIC - {TOPIC_OUTCOME, TOPIC_INITIATOR_POSTS}
    assert services.topics_wanted(user=participant) == {TOPIC_OUTCOME, TOPIC_INITIATOR_POSTS}


def test_it_asks_anonymous_visitors_to_log_in_for_preferences(client, db):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
