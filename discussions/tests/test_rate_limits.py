from django.urls import reverse

from accounts.tests.factories import UserFactory
from discussions.models import Post, Report


def test_it_limits_posts_per_minute_with_a_clear_message(as_user, pledged, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (3, 60)}
    client = as_user("participant")
    url = reverse("discussions:post_create", args=[pledged.slug])
    for n in range(3):
        assert client.post(url, {"text": f"Message {n}"}).status_code == 302
    response = client.post(url, {"text": "Un de trop"})
    assert response.status_code == 429
    assert "Trop de" in response.content.decode()
    assert Post.objects.count() == 3


def test_it_counts_replies_with_posts(as_user, post, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (2, 60)}
    client = as_user("initiator")
    url = reverse("discussions:comment_create", args=[post.promise.slug, post.pk])
    assert client.post(url, {"text": "Un"}).status_code == 302
    assert client.post(url, {"text": "Deux"}).status_code == 302
    assert client.post(url, {"text": "Trois"}).status_code == 429


def test_it_limits_reports_per_minute(client, pledged, settings):
    from discussions import services

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": (2, 60)}
    reporter = UserFactory()
    client.force_login(reporter)
    posts = [
        services.post_create(promise=pledged, author=pledged.created_by, text=f"P{n}")
        for n in range(3)
    ]
    codes = [
        client.post(
            reverse("discussions:report", args=["message", p.pk]), {"reason": "spam"}
        ).status_code
        for p in posts
    ]
    assert codes == [302, 302, 429]
    assert Report.objects.count() == 2
