"""The communes for the places tests (test_places.py, test_near.py): the real list, loaded once
per module by load_communes, outside the tests' transactions, and removed afterwards so that
no other module meets them (before the list is loaded, the promise form keeps a city as
typed)."""

import io

import pytest
from django.core.management import call_command

from promises.models import Commune, Promise


@pytest.fixture(scope="module")
def communes(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_communes", stdout=io.StringIO())
        yield
        Promise.objects.filter(commune__isnull=False).update(commune=None)
        Commune.objects.all().delete()


def commune(insee: str) -> Commune:
    return Commune.objects.get(insee=insee)
