"""allauth's signals call services: an admin who confirms an address on their organisation's
email domain proves that the domain is the organisation's (services.domain_prove)."""

from allauth.account.signals import email_confirmed
from django.contrib import messages
from django.dispatch import receiver

from . import services
from .models import Membership


@receiver(email_confirmed)
def prove_organisation_domains(sender, request, email_address, **kwargs) -> None:
    domain = email_address.email.rsplit("@", 1)[-1].lower()
    admin_of = (
        Membership.objects.admins()
        .filter(
            user_id=email_address.user_id,
            organisation__email_domain=domain,
            organisation__domain_verified_at__isnull=True,
        )
        .select_related("organisation", "user")
    )
    for membership in admin_of:
        organisation = membership.organisation
        if services.domain_prove(organisation=organisation, by=membership.user) and request:
            messages.success(
                request,
                f"Le domaine @{domain} est maintenant celui de {organisation.name} : qui "
                f"confirme une adresse en @{domain} peut la rejoindre.",
            )
