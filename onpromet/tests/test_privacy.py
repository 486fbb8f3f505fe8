"""/confidentialite/: a plain French page, true to the settings, linked from the footer and
the sign-up form, and listed in the sitemap."""

from django.urls import reverse

from promises.tests.helpers import page_text


def test_it_says_what_is_stored_for_how_long_and_which_cookies(client, db, settings):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    # (French no-break spaces read as spaces.)
    text = page_text(response).replace("\u00a0", " ").replace("\u202f", " ")
    for words in (
        "Ce que nous gardons",
        "Combien de temps",
        "Qui voit quoi",
        "« Anonyme »",
        "30 jours après l'inscription",
        "7 jours",
        f"{settings.SESSION_COOKIE_AGE // 86400} jours",
        f"{round(settings.CSRF_COOKIE_AGE / 86400)} jours",
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        "ne dépose que deux cookies",
    ):
        assert words in text, words
    body = response.content.decode()
    assert reverse("accounts:data") in body
    assert reverse("accounts:delete") in body


def test_the_footer_and_the_sign_up_form_link_to_it(client, db):
    url = reverse("privacy")
    assert url in client.get(reverse("home")).content.decode()
    assert url in client.get(reverse("account_signup")).content.decode()


def test_it_is_in_the_sitemap(client, db, settings):
    settings.SITE_URL = "https://onpromet.example"
    body = client.get(reverse("sitemap_section", kwargs={"section": "pages"})).content.decode()
    assert "https://onpromet.example/confidentialite/" in body


def test_the_site_sets_only_the_session_and_csrf_cookies(client, participant):
    """A flash message (Django's default keeps them in a cookie of their own) lives in the
    session, as the page says."""
    client.get(reverse("account_login"))
    client.force_login(participant)
    response = client.post(reverse("accounts:profile"), {"display_name": "Paula B."})
    assert response.status_code == 302
    client.get(reverse("accounts:profile"))
    assert set(client.cookies) <= {"sessionid", "csrftoken"}
    assert "messages" not in client.cookies
