"""The page cache (onpromet/pagecache.py, keys in promises/caching.py), on the real Redis: a
promise page, home and /promesses/ are served from the cache, and every change is on the next
request, for the person who made it, for anonymous visitors and for moderators.
discussions/tests/test_page_cache.py covers posts, replies and what moderators hide in them."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from onpromet.pagecache import PAGE_TTL
from promises import services
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text, promise_url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def visitors(client, participant, moderator):
    """Who must see a change at once: an anonymous visitor, a participant, a moderator."""

    def logged_in(user):
        other = Client()
        other.force_login(user)
        return other

    return {
        "anonymous": client,
        "participant": logged_in(participant),
        "moderator": logged_in(moderator),
    }


def test_an_anonymous_visitor_is_served_the_page_from_the_cache_in_one_query(
    client, pledged, django_assert_num_queries
):
    first = client.get(pledged.get_absolute_url())
    with django_assert_num_queries(1):  # the promise, for its version and who may see it
        again = Client().get(pledged.get_absolute_url())
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", again.content.decode())
    # Links shared with tracking parameters are the same page, and the same cache entry.
    with django_assert_num_queries(1):
        tracked = Client().get(
            pledged.get_absolute_url(), {"fbclid": "IwAR0abc", "utm_source": "x"}
        )
    assert TOKEN.sub("", tracked.content.decode()) == TOKEN.sub("", first.content.decode())


def test_a_logged_in_participant_is_served_the_page_from_the_cache(
    client, pledged, participant, django_assert_max_num_queries
):
    client.force_login(participant)
    client.get(pledged.get_absolute_url())
    # The session and its user, the promise's version; who they are on it comes from the
    # cache too (their pledge, whether they wrote in it: caching.viewer()).
    with django_assert_max_num_queries(3):
        assert "Vous avez promis" in page_text(client.get(pledged.get_absolute_url()))


@pytest.mark.parametrize("who", ["anonymous", "participant", "moderator"])
def test_a_pledge_is_on_the_page_at_the_next_request(visitors, who, pledged):
    page = visitors[who].get(pledged.get_absolute_url())
    assert "Ils ont promis (1)" in page_text(page)
    services.pledge_create(promise=pledged, user=UserFactory(display_name="Nadia"))
    page = page_text(visitors[who].get(pledged.get_absolute_url()))
    assert "Ils ont promis (2)" in page and "Nadia" in page


def test_the_person_who_pledges_sees_their_pledge_and_its_message_at_once(client, promise):
    newcomer = UserFactory()
    client.force_login(newcomer)
    before = page_text(client.get(promise.get_absolute_url()))
    assert "Je promets" in before and "Ils ont promis (0)" in before
    response = client.post(promise_url("pledge", promise), follow=True)
    page = page_text(response)
    assert "Votre promesse est comptée." in page
    assert "Vous avez promis" in page and "Ils ont promis (1)" in page
    # The message is shown once, and was never cached: the next page, and anybody else's,
    # is without it.
    assert "Votre promesse est comptée" not in page_text(client.get(promise.get_absolute_url()))
    assert "Votre promesse est comptée" not in page_text(Client().get(promise.get_absolute_url()))


@pytest.mark.parametrize("who", ["anonymous", "participant", "moderator"])
def test_an_edit_by_the_initiator_is_on_the_page_at_the_next_request(
    visitors, who, pledged, client, initiator
):
    visitors[who].get(pledged.get_absolute_url())
    author = Client()
    author.force_login(initiator)
    author.get(pledged.get_absolute_url())
    response = author.post(
        promise_url("edit", pledged),
        {
            "action": pledged.action,
            "objective": pledged.objective,
            "deadline": pledged.deadline.strftime("%Y-%m-%dT%H:%M"),
            "description": "Rendez-vous au poste de secours n° 2.",
            "city": pledged.city,
            "themes": [theme.pk for theme in pledged.themes.all()],
        },
    )
    assert response.status_code == 302, page_text(response)
    assert "poste de secours n° 2" in page_text(author.get(pledged.get_absolute_url()))
    assert "poste de secours n° 2" in page_text(visitors[who].get(pledged.get_absolute_url()))


def test_a_promise_hidden_by_a_moderator_is_gone_at_the_next_request(visitors, pledged, client):
    for visitor in visitors.values():
        assert visitor.get(pledged.get_absolute_url()).status_code == 200
        assert pledged.sentence in page_text(visitor.get("/"))
        assert pledged.sentence in page_text(visitor.get("/promesses/"))
    services.promise_set_hidden(promise=pledged, hidden=True)
    assert visitors["anonymous"].get(pledged.get_absolute_url()).status_code == 404
    assert visitors["participant"].get(pledged.get_absolute_url()).status_code == 404
    moderated = page_text(visitors["moderator"].get(pledged.get_absolute_url()))
    assert "masquée par la modération" in moderated
    for visitor in visitors.values():
        assert pledged.sentence not in page_text(visitor.get("/"))
        assert pledged.sentence not in page_text(visitor.get("/promesses/"))


def test_each_visitor_gets_their_own_csrf_token_and_it_works(pledged):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        page = visitor.get(pledged.get_absolute_url())
        found = set(TOKEN.findall(page.content.decode()))
        assert len(found) == 1  # one token for every form of the page, this visitor's
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]
    # The second visitor's page came from the cache: its token still lets them pledge.
    newcomer = UserFactory()
    visitors[1].force_login(newcomer)
    page = visitors[1].get(pledged.get_absolute_url())
    token = TOKEN.search(page.content.decode())[1]
    response = visitors[1].post(promise_url("pledge", pledged), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert newcomer.pledges.filter(promise=pledged).exists()


def test_home_and_the_list_show_a_new_promise_and_a_new_count_at_once(client, pledged):
    assert "1 / 3" in page_text(client.get("/"))
    client.get("/promesses/")
    services.pledge_create(promise=pledged, user=UserFactory())
    newer = PromiseFactory(action="planter des arbres au parc Montsouris")
    for path in ("/", "/promesses/"):
        page = page_text(client.get(path))
        assert newer.sentence in page
        assert "2 / 3" in page, path


def test_a_name_change_is_on_the_pages_at_once(visitors, pledged, participant):
    for visitor in visitors.values():
        assert "Paula" in page_text(visitor.get(pledged.get_absolute_url()))
    participant.display_name = "Paulette"
    participant.save()
    for visitor in visitors.values():
        assert "Paulette" in page_text(visitor.get(pledged.get_absolute_url()))


def test_a_cached_page_expires_after_its_ttl(client, pledged):
    """Time-dependent words (the time left) are at most PAGE_TTL seconds old: Redis expires
    the entry (its clock is not the test's, so this reads the TTL Redis holds)."""
    from django.core.cache import cache

    client.get(pledged.get_absolute_url())
    keys = cache._cache.get_client().keys(f"{cache.key_prefix}:*page:*")
    assert keys
    assert all(0 < cache._cache.get_client().ttl(key) <= PAGE_TTL for key in keys)


def test_with_redis_down_every_page_renders_and_shows_each_change(settings, client, pledged):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    for path in (pledged.get_absolute_url(), "/", "/promesses/"):
        assert client.get(path).status_code == 200
    services.pledge_create(promise=pledged, user=UserFactory(display_name="Nadia"))
    assert "Nadia" in page_text(client.get(pledged.get_absolute_url()))
    assert "2 / 3" in page_text(client.get("/"))
