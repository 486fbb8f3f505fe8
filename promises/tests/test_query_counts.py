"""A page's query count must not grow with the number of promises, pledges or participants."""

import re

import pytest

from accounts.tests.factories import UserFactory
from promises import services
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
    with django_assert_max_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    # Each promise once, whatever the number of promises.
    slugs = re.findall(r'class="stretched-link[^"]*" href="([^"]+)"', response.content.decode())
    assert len(slugs) == len(set(slugs)) == min(promises, 6)


@pytest.mark.parametrize("promises", [1, 20])
def test_it_bounds_the_queries_of_the_list_page(
    client, initiator, django_assert_max_num_queries, promises
):
    for promise in PromiseFactory.create_batch(promises, created_by=initiator, objective=100):
        _fill(promise, 2)
    with django_assert_max_num_queries(3):
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
    # 9, plus the newest news (one query) and the count of kept promises (one query).
    with django_assert_max_num_queries(11):
        assert client.get(promise.get_absolute_url()).status_code == 200
