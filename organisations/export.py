"""The organisations' part of the data export (accounts.export): the person's memberships with
their roles, the organisations they created, the invitations they sent. Nothing of the other
members."""

from accounts.export import Part, Section

from .models import Invitation, Membership


def _organisations(user) -> Part:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    sent = Invitation.objects.filter(invited_by=user).select_related("organisation")
    return Part(
        {
            "membre de": [
                {
                    "organisation": m.organisation.name,
                    "adresse": m.organisation.get_absolute_url(),
                    "rôle": m.get_role_display(),
                    "venu par": m.get_via_display(),
                    "membre depuis": m.joined_at,
                }
                for m in memberships.order_by("joined_at")
            ],
            "invitations envoyées": [
                {
                    "organisation": i.organisation.name,
                    "adresse invitée": i.email,
                    "rôle": i.get_role_display(),
                    "envoyée le": i.created_at,
                    "acceptée le": i.accepted_at,
                }
                for i in sent.order_by("created_at")
            ],
        }
    )


SECTIONS = [Section("organisations", "Organisations", 90, _organisations)]
