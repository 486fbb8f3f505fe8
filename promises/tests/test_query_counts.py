"""A page's query count must not grow with the number of promises, pledges or participants."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from promises import selectors, services
from promises.tests.factories import PromiseFactory


def _fill(promise, participants):
    for user in UserFactory.create_batch(participants):
        services.pledge_create(promise=promise, user=user)


@pytest.mark.parametrize("promises", [1, 20])
def test_it_bounds_the_queries_of_the_home_page(
    client, initiator, django_assert_max_num_queries, promises
):
    # Half of them close to their objective (2 / 3), half far from it (2 / 100): both
    # sections of the page are filled, one query each.
    for i, promise in enumerate(PromiseFactory.create_batch(promises, created_by=initiator)):
        promise.objective = 3 if i % 2 else 100
        promise.save(update_fields=["objective"])
        _fill(promise, 2)
    # The two sections' ids and versions (the cache key), then their cards' rows.
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200
    with django_assert_max_num_queries(2):  # the page from the cache
        assert client.get("/").status_code == 200
    # Each promise once, whatever the number of promises.
    slugs = re.findall(r'class="stretched-link[^"]*" href="([^"]+)"', response.content.decode())
    assert len(slugs) == len(set(slugs)) == min(promises, 6)


@pytest.mark.parametrize("promises", [1, 20])
def test_it_bounds_the_queries_of_the_list_page(
    client, initiator, django_assert_max_num_queries, promises
):
    for promise in PromiseFactory.create_batch(promises, created_by=initiator, objective=100):
        _fill(promise, 2)
    # Ids and versions, the count, the cards' rows, the themes of the form.
    with django_assert_max_num_queries(4):
        assert client.get("/promesses/", {"q": "plage", "tri": "proches"}).status_code == 200


@pytest.mark.parametrize("participants", [1, 40])
def test_it_bounds_the_queries_of_the_promise_page(
    client, promise, participant, django_assert_max_num_queries, participants
):
    promise.objective = 100
    promise.save()
    _fill(promise, participants)
    services.pledge_create(promise=promise, user=participant)
    client.force_login(participant)
    # 9, plus the newest news (one query) and the count of kept promises (one query), plus
    # the page cache's key (the promise's id and version, whether the visitor wrote in it),
    # plus the people the participant's share link brought (one query), plus the promises
    # its people also pledged to (at most two: selectors.also_pledged).
    with django_assert_max_num_queries(15):
        assert client.get(promise.get_absolute_url()).status_code == 200


def test_it_counts_no_pledge_for_the_participants_pagination(client, promise):
    """The page's cost must not grow with the promise's success: the participant list is paged
    with the counter kept on the promise (Promise.pledge_count), not a COUNT(*) of pledges."""
    promise.objective = 100
    promise.save()
    _fill(promise, 31)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(promise.get_absolute_url())
    assert "Page 1 sur 2" in page.content.decode()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "promises_pledge" in q["sql"]]
    # The counts left: the kept promises' (index pledge_kept: only the pledges that kept), and
    # "ont aussi promis", which reads the pledges of the promise's 1 000 newest participants at
    # most (selectors.ALSO_PLEDGED_PEOPLE), whatever its size.
    also = [sql for sql in counts if f"LIMIT {selectors.ALSO_PLEDGED_PEOPLE}" in sql]
    kept = [sql for sql in counts if '"kept_at" IS NOT NULL' in sql]
    assert len(also) == 1 and len(kept) == 1 and len(counts) == 2
