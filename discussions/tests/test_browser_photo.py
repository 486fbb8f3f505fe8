"""In a real Chromium: a participant posts a photo in the discussion and finds it in the gallery."""

import pytest
from django.conf import settings
from django.test import Client

from discussions.models import Post
from onpromet.tests.images import gps_exif, image_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(new_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_it_posts_a_photo_and_shows_it_in_the_gallery(
    live_server, new_page, pledged, participant, tmp_path, browser_errors
):
    photo = tmp_path / "selfie-plage.jpg"
    photo.write_bytes(image_upload(size=(1600, 1200), exif=gps_exif()).read())
    page = logged_in_page(new_page, live_server, participant)

    page.goto(live_server.url + pledged.get_absolute_url())
    page.get_by_label("Votre message").fill("Première tournée de ramassage faite !")
    page.get_by_label("Une photo (facultative)").set_input_files(str(photo))
    page.get_by_role("button", name="Publier").click()

    page.get_by_text("Votre message est publié.").wait_for()
    post = Post.objects.get()
    assert (
        page.locator(f"#message-{post.pk}")
        .get_by_text("Première tournée de ramassage faite !")
        .is_visible()
    )
    image = page.locator(f"#message-{post.pk} img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")

    page.get_by_role("link", name="Voir les photos").click()
    page.get_by_role("heading", name="Photos de l'action").wait_for()
    thumbnail = page.get_by_role("img", name="Photo de Paula")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth === 480")
    thumbnail.click()
    assert page.url.endswith(f"#message-{post.pk}")
    assert browser_errors == []
