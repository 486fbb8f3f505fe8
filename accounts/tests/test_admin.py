import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from accounts.models import User
from accounts.services import MODERATION_GROUP, moderator_grant
from accounts.tests.factories import PASSWORD as PASSWORD_OF_THE_CAST
from accounts.tests.factories import UserFactory
from promises.tests.factories import PromiseFactory

USERS = "/admin/accounts/user/"
GROUPS = "/admin/auth/group/"
PASSWORD = "Moderer-avec-soin-2027"

# Session, user, the moderator's permissions (their own and their group's), counts, the page's
# rows and the date hierarchy: none grows with the rows.
CHANGELIST_MAX_QUERIES = 9


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
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
    response = moderator_client.get(USERS, {"q": participant.display_name, "is_active__exact": "1"})
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


def test_it_lets_a_moderator_change_the_name_shown_and_nothing_else(moderator_client, outsider):
    url = f"{USERS}{outsider.pk}/change/"
    response = moderator_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="display_name"' in page
    for field in ("email", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in page, field
    assert "password/" not in page
    assert "Superutilisateur" not in page and "Mot de passe" not in page

    response = moderator_client.post(url, _user_form(outsider, display_name="Oscar W."))

    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.display_name == "Oscar W."


def test_it_hides_the_rights_from_the_moderator_list(moderator_client, outsider):
    page = moderator_client.get(USERS).content.decode()
    assert "is_staff" not in page
    assert "is_superuser" not in page
    # A filter on the rights, typed into the address, is refused rather than applied.
    response = moderator_client.get(USERS, {"is_superuser__exact": "1"})
    assert response.status_code == 400


def test_it_refuses_a_moderator_who_makes_themselves_superuser(moderator_client, moderator):
    response = moderator_client.post(
        f"{USERS}{moderator.pk}/change/",
        {**_user_form(moderator), "is_superuser": "on", "is_staff": "on"},
    )
    # Their own account is a staff account: not theirs to open in the admin.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    moderator.refresh_from_db()
    assert not moderator.is_superuser
    assert list(moderator.groups.values_list("name", flat=True)) == [MODERATION_GROUP]


def test_it_ignores_the_rights_a_moderator_posts_on_an_account(moderator_client, outsider):
    group = Group.objects.get(name=MODERATION_GROUP)
    permission = Permission.objects.get(codename="delete_user")
    response = moderator_client.post(
        f"{USERS}{outsider.pk}/change/",
        {
            **_user_form(outsider, email="pirate@example.org"),
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "user_permissions": [permission.pk],
            "password": "md5$x$y",
        },
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert not outsider.is_superuser and not outsider.is_staff
    assert not outsider.groups.exists() and not outsider.user_permissions.exists()
    assert outsider.email != "pirate@example.org"
    assert outsider.check_password(PASSWORD_OF_THE_CAST)


def test_it_refuses_the_password_form_to_a_moderator(moderator_client, client, outsider):
    url = f"{USERS}{outsider.pk}/password/"
    assert moderator_client.get(url).status_code == 403
    new = {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"}
    assert moderator_client.post(url, new).status_code == 403
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD_OF_THE_CAST)
    assert not client.login(request=HttpRequest(), username=outsider.email, password=PASSWORD)


def test_it_keeps_staff_accounts_away_from_moderators(moderator_client, moderator, superuser):
    other = UserFactory(display_name="Autre modérateur")
    moderator_grant(user=other)
    listed = {user.pk for user in moderator_client.get(USERS).context["cl"].result_list}
    assert not listed & {moderator.pk, other.pk, superuser.pk}
    for user in (other, superuser):
        response = moderator_client.get(f"{USERS}{user.pk}/change/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    # Nor through the list's action, with the ids typed in.
    moderator_client.post(
        USERS, {"action": "deactivate", "_selected_action": [other.pk, superuser.pk]}
    )
    assert User.objects.filter(pk__in=[other.pk, superuser.pk], is_active=True).count() == 2


def test_it_deactivates_through_the_action_and_the_person_can_no_longer_log_in(
    moderator_client, client, outsider
):
    response = moderator_client.post(
        USERS, {"action": "deactivate", "_selected_action": [outsider.pk]}
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert not outsider.is_active
    # django-axes (the admin's lockout) needs the request of a log-in.
    assert not client.login(
        request=HttpRequest(), username=outsider.email, password="Promesse-tenue-2027"
    )


def test_it_lets_only_superusers_add_an_account(moderator_client):
    assert moderator_client.get(f"{USERS}add/").status_code == 403


def test_it_lets_a_superuser_manage_the_rights_and_the_password(superuser_client, outsider):
    response = superuser_client.post(
        f"{USERS}{outsider.pk}/change/", {**_user_form(outsider), "is_staff": "on"}
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.is_staff
    url = f"{USERS}{outsider.pk}/password/"
    assert superuser_client.get(url).status_code == 200
    superuser_client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_it_adds_a_user_with_a_password(superuser_client):
    moderator_client = superuser_client
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


def test_it_refuses_an_email_that_differs_only_in_case(superuser_client, outsider):
    response = superuser_client.post(
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
    assert len(users) == count  # (staff accounts are not listed to a moderator)
    assert {user.pledge_total for user in users} == {2}


def test_it_keeps_groups_to_superusers(moderator_client, superuser_client):
    group = Group.objects.get_or_create(name=MODERATION_GROUP)[0]
    for url in (GROUPS, f"{GROUPS}add/", f"{GROUPS}{group.pk}/change/"):
        assert moderator_client.get(url).status_code == 403, url
        assert superuser_client.get(url).status_code == 200, url
    assert "Groupes" not in moderator_client.get("/admin/").content.decode()


def test_it_creates_a_superuser_from_the_command_line(db, client, monkeypatch):
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
