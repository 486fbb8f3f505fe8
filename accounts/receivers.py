"""allauth's signals call services: a pledge made before signing up or logging in is recorded
as soon as there is a user, and counted as soon as their email address is confirmed."""

from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.dispatch import receiver

from promises import services as promise_services


@receiver(user_signed_up)
@receiver(user_logged_in)
def record_pledge_intent(sender, request, user, **kwargs) -> None:
    if request is not None:
        promise_services.pledge_intent_fulfil(request=request, user=user)


@receiver(email_confirmed)
def activate_pending_pledges(sender, request, email_address, **kwargs) -> None:
    promise_services.pledges_activate(user=email_address.user)
