"""'Ceux qui ont promis ceci ont aussi promis' on the promise page."""

import pytest

from accounts.tests.factories import UserFactory
from promises import selectors, services
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db


def test_it_suggests_the_promises_the_most_people_also_pledged_to(initiator):
    here = PromiseFactory(created_by=initiator, objective=50)
    people = UserFactory.create_batch(3)
    many = PromiseFactory(created_by=initiator, action="planter des arbres au parc")
    few = PromiseFactory(created_by=initiator, action="composter au jardin")
    nobody = PromiseFactory(created_by=initiator, action="réparer des vélos")
    hidden = PromiseFactory(created_by=initiator, action="une promesse masquée")
    closed = PromiseFactory(created_by=initiator, action="une promesse annulée")
    for user in people:
        for promise in (here, many, hidden, closed):
            services.pledge_create(promise=promise, user=user)
    services.pledge_create(promise=few, user=people[0])
    services.promise_set_hidden(promise=hidden, hidden=True)
    services.promise_cancel(promise=closed)

    assert selectors.also_pledged(here) == [many, few]
    assert nobody not in selectors.also_pledged(here)


def test_the_promise_page_shows_them(client, initiator, participant):
    here = PromiseFactory(created_by=initiator)
    other = PromiseFactory(created_by=initiator, action="planter des arbres au parc")
    services.pledge_create(promise=here, user=participant)
    services.pledge_create(promise=other, user=participant)
    page = page_text(client.get(here.get_absolute_url()))
    assert "Ceux qui ont promis ceci ont aussi promis" in page
    assert other.get_absolute_url() in page


def test_none_is_a_quiet_page(client, promise):
    assert "ont aussi promis" not in page_text(client.get(promise.get_absolute_url()))


@pytest.mark.parametrize("people", [1, 12])
def test_it_costs_two_queries_whatever_the_numbers(initiator, people, django_assert_num_queries):
    here = PromiseFactory(created_by=initiator, objective=50)
    others = PromiseFactory.create_batch(4, created_by=initiator)
    for user in UserFactory.create_batch(people):
        for promise in (here, *others):
            services.pledge_create(promise=promise, user=user)
    with django_assert_num_queries(2):
        assert len(selectors.also_pledged(here)) == 3
