"""onpromet/sql.py: a queryset compiled once, run with new values, on the real Postgres."""

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from onpromet.sql import Compiled

pytestmark = pytest.mark.django_db


def test_it_runs_the_querysets_sql_with_each_calls_values(django_assert_num_queries):
    paula, oscar = UserFactory(display_name="Paula"), UserFactory(display_name="Oscar")
    names = Compiled(
        lambda name, pk: (
            User.objects.filter(display_name=name, pk__gte=pk, is_active=True)
            .order_by("pk")
            .values_list("display_name", "pk")
        )
    )
    with django_assert_num_queries(1):
        assert names.rows("Paula", 0) == [("Paula", paula.pk)]
    with django_assert_num_queries(1):  # no query to compile again
        assert names.rows("Oscar", oscar.pk) == [("Oscar", oscar.pk)]
    assert names.rows("Oscar", oscar.pk + 1) == []
    assert names.rows("'; DROP TABLE accounts_user; --", 0) == []  # a parameter, never SQL


def test_it_pages_with_parameters():
    people = sorted(user.pk for user in UserFactory.create_batch(5))
    everyone = Compiled(lambda pk: User.objects.filter(pk__gte=pk).order_by("pk").values_list("pk"))
    assert [row[0] for row in everyone.rows(people[0], limit=2, offset=0)] == people[:2]
    assert [row[0] for row in everyone.rows(people[0], limit=2, offset=4)] == people[4:]


def test_it_refuses_values_that_do_not_reach_the_sql_as_they_are():
    # A __contains lookup rewrites its value ("%…%"): the placeholder is not found.
    with pytest.raises(ValueError, match="do not reach the SQL"):
        Compiled(
            lambda name: User.objects.filter(display_name__contains=name).values_list("pk")
        ).rows("a")
    with pytest.raises(TypeError, match="booleans"):
        Compiled(lambda active: User.objects.filter(is_active=active).values_list("pk")).rows(True)
