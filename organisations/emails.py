"""The organisations' single emails (not broadcasts): the invitation to join, sent to an
address, not an account. Each is a template triple templates/email/org_<name>.*."""

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from notifications import emails
from onpromet.site_url import absolute

from .models import Invitation


def invitation_message(*, invitation: Invitation) -> EmailMultiAlternatives:
    """An admin invites someone to join the organisation, with a role; the link is the
    credential, used once."""
    return emails.build(
        "org_invitation",
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "invitation_url": absolute(
                reverse("organisations:invitation", args=[invitation.token])
            ),
        },
        to=invitation.email,
    )
