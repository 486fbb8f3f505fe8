"""Organisations for tests, made as the site makes them (services.organisation_create)."""

from accounts.tests.factories import UserFactory
from organisations import services
from organisations.models import Membership, Organisation


def organisation_of(admin, name: str = "ACME", kind: str = Organisation.Kind.COMPANY, **fields):
    """An organisation with `admin` as its creator and first admin."""
    return services.organisation_create(user=admin, name=name, kind=kind, **fields)


def member_of(
    organisation: Organisation,
    user=None,
    role: str = Membership.Role.MEMBER,
    via: str = Membership.Via.INVITATION,
) -> Membership:
    return Membership.objects.create(
        organisation=organisation, user=user or UserFactory(), role=role, via=via
    )
