"""Who may do what in an organisation, decided in one place (views and templates use it)."""

from dataclasses import dataclass

from .models import Membership, Organisation


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    membership: Membership | None

    @classmethod
    def of(cls, organisation: Organisation, user) -> "OrganisationAccess":
        membership = None
        if user.is_authenticated:
            membership = Membership.objects.filter(organisation=organisation, user=user).first()
        return cls(organisation=organisation, membership=membership)

    @property
    def role(self) -> str:
        return self.membership.role if self.membership else ""

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def can_manage(self) -> bool:
        """Members, invitations, the join link, the settings, the impact report."""
        return self.role == Membership.Role.ADMIN

    @property
    def can_launch(self) -> bool:
        """Launch a promise in the organisation's name."""
        return self.organisation.is_active and self.role in (
            Membership.Role.ADMIN,
            Membership.Role.ANIMATEUR,
        )
