import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from accounts.models import User
from accounts.tests.factories import UserFactory
from promises.tests.factories import PromiseFactory

USERS = "/admin/accounts/user/"
PASSWORD = "Moderer-avec-soin-2027"

# Session, user, counts, the page's rows and the date hierarchy: none grows with the rows.
CHANGELIST_MAX_QUERIES = 7


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _user_form(user: User, **changes) -> dict:
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "is_active": "on",
    }
    return {**data, **changes}


def test_it_shows_the_users_to_the_moderator_with_search_and_filters(
    moderator_client, pledged, participant, outsider
):
    response = moderator_client.get(
        USERS, {"q": participant.display_name, "is_staff__exact": "0", "is_active__exact": "1"}
    )
    assert response.status_code == 200
    [user] = response.context["cl"].result_list
    assert user == participant
    assert user.pledge_total == 1

    response = moderator_client.get(USERS, {"q": outsider.email})
    assert list(response.context["cl"].result_list) == [outsider]
    assert response.context["cl"].result_list[0].pledge_total == 0


def test_it_redirects_an_outsider_to_the_admin_login(client, outsider):
    client.force_login(outsider)
    for url in (USERS, f"{USERS}add/", f"{USERS}{outsider.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_it_changes_a_user(moderator_client, outsider):
    url = f"{USERS}{outsider.pk}/change/"
    response = moderator_client.get(url)
    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode()
    assert moderator_client.get(f"{url.removesuffix('change/')}password/").status_code == 200

    response = moderator_client.post(url, _user_form(outsider, display_name="Oscar W."))

    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.display_name == "Oscar W."


def test_it_deactivates_a_user_who_can_then_no_longer_log_in(moderator_client, client, outsider):
    data = _user_form(outsider)
    del data["is_active"]
    moderator_client.post(f"{USERS}{outsider.pk}/change/", data)
    outsider.refresh_from_db()
    assert not outsider.is_active
    # django-axes (the admin's lockout) needs the request of a log-in.
    assert not client.login(
        request=HttpRequest(), username=outsider.email, password="Promesse-tenue-2027"
    )


def test_it_adds_a_user_with_a_password(moderator_client):
    response = moderator_client.get(f"{USERS}add/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="email"' in page
    assert 'name="password1"' in page

    response = moderator_client.post(
        f"{USERS}add/",
        {
            "email": "nouvelle@example.org",
            "display_name": "Nora",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert user.display_name == "Nora"
    assert user.check_password(PASSWORD)
    assert not user.is_staff


def test_it_refuses_an_email_that_differs_only_in_case(moderator_client, outsider):
    response = moderator_client.post(
        f"{USERS}add/",
        {
            "email": outsider.email.upper(),
            "display_name": "Double",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert User.objects.filter(email__iexact=outsider.email).count() == 1


def test_it_does_not_delete_users_in_the_admin(moderator_client, outsider):
    response = moderator_client.get(f"{USERS}{outsider.pk}/delete/")
    assert response.status_code == 403
    assert User.objects.filter(pk=outsider.pk).exists()


@pytest.mark.parametrize("count", [5, 30])
def test_it_lists_users_with_a_number_of_queries_that_does_not_grow_with_the_rows(
    moderator_client, moderator, django_assert_max_num_queries, count
):
    for promise in PromiseFactory.create_batch(count):
        PromiseFactory(created_by=promise.created_by)
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = moderator_client.get(USERS)
    assert response.status_code == 200
    users = response.context["cl"].result_list
    assert len(users) == count + 1  # and the moderator
    assert {user.pledge_total for user in users if user != moderator} == {2}


def test_it_creates_a_moderator_from_the_command_line(db, client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "moderation@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", interactive=False, verbosity=0)

    user = User.objects.get(email="moderation@example.org")
    assert user.is_staff
    assert user.is_superuser
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "moderation@example.org", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(USERS).status_code == 200


def test_it_asks_for_the_email_and_password_when_creating_a_moderator(db, monkeypatch):
    answers = iter(["moderation@example.org"])
    passwords = iter([PASSWORD, PASSWORD])
    prompts = []

    def fake_input(prompt=""):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(passwords))

    call_command("createsuperuser", interactive=True, stdin=None, verbosity=0)

    assert len(prompts) == 1
    assert "e-mail" in prompts[0]
    user = get_user_model().objects.get(email="moderation@example.org")
    assert user.is_staff
    assert user.check_password(PASSWORD)


def test_it_refuses_a_wrong_password_at_the_admin_login(db, client):
    UserFactory(email="modo@example.org", is_staff=True)
    response = client.post(
        "/admin/login/", {"username": "modo@example.org", "password": "pas le bon mot de passe"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
