import pytest
from django.test import Client
from django.utils import timezone

from promises.models import Pledge, Promise, Theme
from promises.tests.factories import PromiseFactory, ThemeFactory

PROMISES = "/admin/promises/promise/"
PLEDGES = "/admin/promises/pledge/"
THEMES = "/admin/promises/theme/"

# A sentence that appears nowhere else on the site's pages.
ACTION = "ramasser les déchets du canal Saint-Martin"

# Any changelist page, whatever its number of rows: session, user, the moderator's permissions
# (their own and their group's), counts, the page's rows, the filters' choices and the date
# hierarchy.
CHANGELIST_MAX_QUERIES = 10


@pytest.fixture
def canal(initiator):
    return PromiseFactory(
        created_by=initiator, action=ACTION, city="Paris", themes=[ThemeFactory(name="Propreté")]
    )


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _act(client, action: str, promise: Promise):
    return client.post(
        PROMISES, {"action": action, "_selected_action": [promise.pk], "index": 0}, follow=True
    )


def _promise_form(promise: Promise, **changes) -> dict:
    deadline = timezone.localtime(promise.deadline)
    data = {
        "action": promise.action,
        "objective": promise.objective,
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "action_date": "",
        "city": promise.city,
        "description": promise.description,
        "themes": [theme.pk for theme in promise.themes.all()],
    }
    return {**data, **changes}


def test_it_shows_the_promises_to_the_moderator_with_search_and_filters(
    moderator_client, canal, promise
):
    theme = canal.themes.get()
    response = moderator_client.get(
        PROMISES,
        {
            "q": "canal",
            "state__exact": "open",
            "is_hidden__exact": "0",
            "themes__id__exact": theme.pk,
        },
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [canal]
    assert "canal Saint-Martin" in response.content.decode()


def test_it_searches_promises_by_their_initiators_email(moderator_client, canal, promise):
    response = moderator_client.get(PROMISES, {"q": canal.created_by.email})
    assert response.status_code == 200
    # The fixture promise has the same initiator; a stranger's promise is left out.
    other = PromiseFactory()
    assert set(response.context["cl"].result_list) == {canal, promise}
    assert other not in response.context["cl"].result_list


def test_it_shows_the_pledges_to_the_moderator_with_search_and_filters(
    moderator_client, pledged, participant, canal
):
    response = moderator_client.get(
        PLEDGES, {"q": participant.email, "status__exact": "active", "is_initiator__exact": "0"}
    )
    assert response.status_code == 200
    assert [pledge.user for pledge in response.context["cl"].result_list] == [participant]

    response = moderator_client.get(PLEDGES, {"q": "canal", "is_initiator__exact": "1"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [canal.pledges.get()]


def test_it_lists_the_pledges_of_one_promise_from_its_progress_link(
    moderator_client, pledged, canal
):
    response = moderator_client.get(PROMISES)
    url = f"{PLEDGES}?promise__id__exact={pledged.pk}"
    assert url in response.content.decode()

    response = moderator_client.get(url)
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == set(pledged.pledges.all())


def test_it_shows_the_themes_with_their_number_of_promises(moderator_client, canal, promise):
    response = moderator_client.get(THEMES, {"q": "Propreté"})
    assert response.status_code == 200
    [theme] = response.context["cl"].result_list
    assert theme.name == "Propreté"
    assert theme.promise_total == 1


def test_it_creates_a_theme_with_its_slug(superuser, moderator_client):
    # Themes are the site's own taxonomy: superusers add them, moderators correct them.
    assert moderator_client.get(f"{THEMES}add/").status_code == 403
    client = Client()
    client.force_login(superuser)
    response = client.get(f"{THEMES}add/")
    assert response.status_code == 200
    assert "prepopulated" in response.content.decode()

    response = client.post(f"{THEMES}add/", {"name": "Forêts", "slug": "forets"})
    assert response.status_code == 302
    assert Theme.objects.filter(name="Forêts", slug="forets").exists()


@pytest.mark.parametrize("url", [PROMISES, PLEDGES, THEMES, f"{PROMISES}add/"])
def test_it_redirects_an_outsider_to_the_admin_login(client, outsider, url):
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_redirects_an_anonymous_visitor_to_the_admin_login(client):
    response = client.get(PROMISES)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_hides_a_promise(moderator_client, client, canal, initiator, moderator):
    assert ACTION in client.get("/").content.decode()

    response = _act(moderator_client, "hide", canal)

    assert response.status_code == 200
    assert "1 promesse masquée." in response.content.decode()
    canal.refresh_from_db()
    assert canal.is_hidden
    assert canal.hidden_at is not None

    client.logout()
    assert ACTION not in client.get("/promesses/").content.decode()
    assert ACTION not in client.get("/promesses/", {"q": "canal"}).content.decode()
    assert ACTION not in client.get("/").content.decode()
    response = client.get(canal.get_absolute_url())
    assert response.status_code == 404
    assert "masquée par la modération" in response.content.decode()
    assert ACTION not in response.content.decode()

    for viewer in (moderator, initiator):
        client.force_login(viewer)
        response = client.get(canal.get_absolute_url())
        assert response.status_code == 200
        assert "masquée par la modération" in response.content.decode()
        assert ACTION in response.content.decode()


def test_it_counts_only_the_promises_it_hides(moderator_client, canal, promise):
    _act(moderator_client, "hide", canal)
    response = moderator_client.post(
        PROMISES,
        {"action": "hide", "_selected_action": [canal.pk, promise.pk], "index": 0},
        follow=True,
    )
    assert "1 promesse masquée." in response.content.decode()
    assert Promise.objects.filter(is_hidden=True).count() == 2


def test_it_shows_a_hidden_promise_again(moderator_client, client, canal):
    _act(moderator_client, "hide", canal)

    response = _act(moderator_client, "unhide", canal)

    assert "1 promesse réaffichée." in response.content.decode()
    canal.refresh_from_db()
    assert not canal.is_hidden
    assert canal.hidden_at is None
    assert ACTION in client.get("/promesses/").content.decode()
    assert ACTION in client.get("/").content.decode()
    response = client.get(canal.get_absolute_url())
    assert response.status_code == 200
    assert "masquée par la modération" not in response.content.decode()


def test_it_does_not_let_the_moderator_set_the_counter_state_or_visibility(moderator_client, canal):
    url = f"{PROMISES}{canal.pk}/change/"
    page = moderator_client.get(url).content.decode()
    for field in ("pledge_count", "state", "is_hidden", "created_by"):
        assert f'name="{field}"' not in page

    data = _promise_form(
        canal, description="Rendez-vous quai de Valmy.", pledge_count=99, state="reached"
    )
    response = moderator_client.post(url, {**data, "is_hidden": "on"})

    assert response.status_code == 302
    canal.refresh_from_db()
    assert canal.description == "Rendez-vous quai de Valmy."
    assert canal.pledge_count == 0
    assert canal.state == Promise.State.OPEN
    assert not canal.is_hidden


def test_it_corrects_the_terms_while_nobody_else_has_pledged(moderator_client, canal):
    response = moderator_client.post(
        f"{PROMISES}{canal.pk}/change/",
        _promise_form(canal, action="ramasser les déchets du canal de l'Ourcq", objective=20),
    )
    assert response.status_code == 302
    canal.refresh_from_db()
    assert canal.action == "ramasser les déchets du canal de l'Ourcq"
    assert canal.objective == 20


def test_it_locks_the_terms_once_someone_has_pledged(moderator_client, pledged):
    url = f"{PROMISES}{pledged.pk}/change/"
    page = moderator_client.get(url).content.decode()
    assert 'name="action"' not in page
    assert 'name="objective"' not in page
    assert 'name="description"' in page

    data = _promise_form(pledged, objective=1, description="Gants fournis.")
    response = moderator_client.post(url, data)

    assert response.status_code == 302
    pledged.refresh_from_db()
    assert pledged.objective == 3
    assert pledged.state == Promise.State.OPEN
    assert pledged.description == "Gants fournis."


def test_it_does_not_add_or_delete_promises_or_pledges_in_the_admin(moderator_client, pledged):
    assert moderator_client.get(f"{PROMISES}add/").status_code == 403
    assert moderator_client.get(f"{PROMISES}{pledged.pk}/delete/").status_code == 403
    pledge = pledged.pledges.get(is_initiator=False)
    assert moderator_client.get(f"{PLEDGES}add/").status_code == 403
    assert moderator_client.get(f"{PLEDGES}{pledge.pk}/delete/").status_code == 403


def test_it_shows_a_pledge_read_only(moderator_client, pledged):
    pledge = pledged.pledges.get(is_initiator=False)
    url = f"{PLEDGES}{pledge.pk}/change/"
    response = moderator_client.get(url)
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()

    moderator_client.post(url, {"status": Pledge.Status.WITHDRAWN})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE


@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize("url", [PROMISES, PLEDGES, THEMES])
def test_it_lists_with_a_number_of_queries_that_does_not_grow_with_the_rows(
    moderator_client, django_assert_max_num_queries, url, count
):
    PromiseFactory.create_batch(count)
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = moderator_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count
