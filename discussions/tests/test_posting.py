import datetime

import pytest
import time_machine
from django.urls import reverse

from discussions.models import Post
from onpromet.tests.images import gps_exif, image_upload
from promises.tests.helpers import page_text


def url(name, promise, *args):
    return reverse(f"discussions:{name}", args=[promise.slug, *args])


@pytest.mark.parametrize("who", ["participant", "initiator"])
def test_it_lets_participants_and_initiators_post(as_user, pledged, who):
    client = as_user(who)
    response = client.post(url("post_create", pledged), {"text": "Rendez-vous au parking.\nÀ 9 h."})
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#message-{post.pk}")
    text = page_text(client.get(pledged.get_absolute_url()))
    assert "Rendez-vous au parking." in text


@pytest.mark.parametrize("who", ["outsider", "withdrawn", "moderator"])
def test_it_refuses_posts_from_people_not_taking_part(as_user, pledged, withdrawn, who):
    response = as_user(who).post(url("post_create", pledged), {"text": "Coucou"})
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(as_user, pledged):
    response = as_user("anonymous").post(url("post_create", pledged), {"text": "Coucou"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Post.objects.exists()


def test_it_tells_others_why_they_cannot_write(as_user, pledged):
    for who, text in (
        ("anonymous", "Promettez (en créant votre compte) pour participer à la discussion"),
        ("outsider", "Promettez pour participer à la discussion"),
    ):
        assert text in page_text(as_user(who).get(pledged.get_absolute_url()))


def test_it_shows_the_discussion_to_anonymous_readers(as_user, post, pledged):
    assert "On se retrouve à 9 h ?" in page_text(
        as_user("anonymous").get(pledged.get_absolute_url())
    )


def test_it_refuses_get_on_the_post_url(as_user, pledged):
    assert as_user("participant").get(url("post_create", pledged)).status_code == 405


def test_it_publishes_a_photo_without_its_metadata(as_user, pledged):
    client = as_user("participant")
    client.post(url("post_create", pledged), {"text": "", "photo": image_upload(exif=gps_exif())})
    post = Post.objects.get()
    assert post.photo and post.thumbnail
    with post.photo.open("rb") as stored:
        assert b"PhoneMaker" not in stored.read()
    assert post.thumbnail.url in client.get(pledged.get_absolute_url()).content.decode()


def test_it_refuses_an_empty_post_and_keeps_the_form(as_user, pledged):
    response = as_user("participant").post(url("post_create", pledged), {"text": "   "})
    assert response.status_code == 200
    assert "Écrivez un message ou ajoutez une photo." in page_text(response)


def test_it_refuses_a_bad_photo_and_keeps_the_text(as_user, pledged):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = as_user("participant").post(
        url("post_create", pledged), {"text": "Mon texte précieux", "photo": bad}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "JPEG, PNG ou WebP" in text
    assert "Mon texte précieux" in text
    assert not Post.objects.exists()


def test_it_escapes_html_and_makes_links_clickable(as_user, pledged):
    client = as_user("participant")
    client.post(
        url("post_create", pledged), {"text": "<script>alert(1)</script> https://example.org"}
    )
    body = client.get(pledged.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert '<a href="https://example.org" rel="nofollow">' in body


def test_it_lets_the_author_edit_for_15_minutes(as_user, post, pledged):
    client = as_user("participant")
    response = client.post(url("post_edit", pledged, post.pk), {"text": "On se retrouve à 10 h."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == "On se retrouve à 10 h." and post.edited_at
    with time_machine.travel(post.created_at + datetime.timedelta(minutes=16)):
        response = client.post(
            url("post_edit", pledged, post.pk), {"text": "Trop tard"}, follow=True
        )
    post.refresh_from_db()
    assert post.text == "On se retrouve à 10 h."
    assert "15 minutes" in page_text(response)


@pytest.mark.parametrize("who", ["outsider", "initiator", "moderator"])
def test_it_refuses_edits_by_anyone_else(as_user, post, pledged, who):
    assert (
        as_user(who).post(url("post_edit", pledged, post.pk), {"text": "Pirate"}).status_code == 403
    )
    post.refresh_from_db()
    assert post.text == "On se retrouve à 9 h ?"


def test_it_lets_the_author_delete_after_confirmation(as_user, pledged, participant):
    client = as_user("participant")
    client.post(url("post_create", pledged), {"text": "Avec photo", "photo": image_upload()})
    post = Post.objects.get()
    photo_name = post.photo.name
    assert "Supprimer ce message ?" in page_text(client.get(url("post_delete", pledged, post.pk)))
    assert Post.objects.exists()  # GET only asks.
    client.post(url("post_delete", pledged, post.pk))
    assert not Post.objects.exists()
    assert not post.photo.storage.exists(photo_name)


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 403), ("initiator", 403), ("moderator", 302)]
)
def test_it_lets_only_the_author_and_moderators_delete(as_user, post, pledged, who, status):
    assert as_user(who).post(url("post_delete", pledged, post.pk)).status_code == status
    assert Post.objects.exists() == (status == 403)


def test_it_lets_an_initiator_pin_one_post(as_user, post, pledged, initiator):
    from discussions import services

    other = services.post_create(
        promise=pledged, author=initiator, text="Point de rendez-vous : la dune."
    )
    client = as_user("initiator")
    client.post(url("post_pin", pledged, post.pk))
    client.post(url("post_pin", pledged, other.pk))
    assert list(Post.objects.filter(is_pinned=True)) == [other]
    text = page_text(client.get(pledged.get_absolute_url()))
    assert text.index("Point de rendez-vous") < text.index("On se retrouve à 9 h ?")  # first


@pytest.mark.parametrize("who", ["participant", "outsider", "moderator"])
def test_it_refuses_pins_from_others(as_user, post, pledged, who):
    assert as_user(who).post(url("post_pin", pledged, post.pk)).status_code == 403
    post.refresh_from_db()
    assert not post.is_pinned
