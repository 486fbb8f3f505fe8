"""The cast of an organisation: ACME (a company) with its admin Alice, its animateur Anna and
its member Max; Olga administers another organisation; the outsider belongs to none."""

import pytest

from accounts.tests.factories import UserFactory
from organisations.models import Membership, Organisation

from .factories import member_of, organisation_of


@pytest.fixture
def org_admin(db):
    return UserFactory(display_name="Alice", email="alice@acme.fr")


@pytest.fixture
def acme(org_admin):
    return organisation_of(org_admin, "ACME", Organisation.Kind.COMPANY)


@pytest.fixture
def animateur(acme):
    return member_of(acme, UserFactory(display_name="Anna"), Membership.Role.ANIMATEUR).user


@pytest.fixture
def member(acme):
    return member_of(acme, UserFactory(display_name="Max"), Membership.Role.MEMBER).user


@pytest.fixture
def other_admin(db):
    admin = UserFactory(display_name="Olga")
    organisation_of(admin, "Les Amis de la plage", Organisation.Kind.ASSOCIATION)
    return admin
