import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from discussions import services
from onpromet.photos import process_photo
from onpromet.tests.images import image_upload
from promises import services as promise_services
from promises.tests.helpers import page_text


def add_photos(promise, count):
    for _ in range(count):
        user = UserFactory()
        promise_services.pledge_create(promise=promise, user=user)
        post = services.post_create(
            promise=promise,
            author=user,
            text="Fait !",
            photo=process_photo(image_upload(size=(64, 48))),
        )
        services.comment_create(post=post, author=promise.created_by, text="Bravo")


def test_it_shows_every_photo_as_a_thumbnail_linking_to_its_post(client, pledged, participant):
    post = services.post_create(
        promise=pledged, author=participant, text="", photo=process_photo(image_upload())
    )
    body = client.get(reverse("discussions:gallery", args=[pledged.slug])).content.decode()
    assert post.thumbnail.url in body
    assert f"#message-{post.pk}" in body


def test_it_leaves_hidden_photos_out(client, pledged, participant):
    post = services.post_create(
        promise=pledged, author=participant, text="", photo=process_photo(image_upload())
    )
    services.content_set_hidden(content=post, hidden=True)
    assert (
        post.thumbnail.url
        not in client.get(reverse("discussions:gallery", args=[pledged.slug])).content.decode()
    )


def test_it_has_an_empty_state(client, pledged):
    assert "Pas encore de photo" in page_text(
        client.get(reverse("discussions:gallery", args=[pledged.slug]))
    )


def test_it_answers_404_for_a_hidden_promise(client, pledged):
    promise_services.promise_set_hidden(promise=pledged, hidden=True)
    assert client.get(reverse("discussions:gallery", args=[pledged.slug])).status_code == 404


@pytest.mark.parametrize("photos", [1, 12])
def test_it_bounds_the_queries_of_the_gallery(
    client, pledged, django_assert_max_num_queries, photos
):
    pledged.objective = 100
    pledged.save()
    add_photos(pledged, photos)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("discussions:gallery", args=[pledged.slug])).status_code == 200


@pytest.mark.parametrize("posts", [1, 12])
def test_it_bounds_the_queries_of_the_promise_page_with_a_discussion(
    client, pledged, participant, django_assert_max_num_queries, posts
):
    pledged.objective = 100
    pledged.save()
    add_photos(pledged, posts)
    client.force_login(participant)
    # 11, plus the newest news and the count of kept promises (one query each), plus the
    # page cache's key (the promise's id and version, whether the visitor wrote in it), plus
    # the people the participant's share link brought (one query), plus the promises its
    # people also pledged to (at most two: selectors.also_pledged).
    with django_assert_max_num_queries(17):
        assert client.get(pledged.get_absolute_url()).status_code == 200
