"""allauth's signals call services: a pledge made before signing up or logging in is recorded
as soon as there is a user, and counted as soon as their email address is confirmed."""

from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.contrib import messages
from django.dispatch import receiver

from . import services as promise_services
from .adapters import CONFIRMED_PLEDGE_PROMISE_ATTR
from .models import Pledge
from .sharing import pledge_counted_message

PLEDGE_TOO_LATE = (
    "Cette promesse n'accepte plus de participants : votre promesse n'a pas pu être comptée."
)


@receiver(user_signed_up)
@receiver(user_logged_in)
def record_pledge_intent(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    pledge = promise_services.pledge_intent_fulfil(session=request.session, user=user)
    # A newcomer's pledge waits for their address; the pledge view has already said so.
    if pledge is not None and pledge.is_active:
        messages.success(request, pledge_counted_message(pledge.promise))


@receiver(email_confirmed)
def activate_pending_pledges(sender, request, email_address, **kwargs) -> None:
    latest_pending = (
        Pledge.objects.filter(user_id=email_address.user_id, status=Pledge.Status.PENDING)
        .select_related("promise")
        .order_by("-created_at")
        .first()
    )
    activated = promise_services.pledges_activate(user=email_address.user)
    if request is None or latest_pending is None:
        return
    # The adapter sends the person who just confirmed to that promise.
    setattr(request, CONFIRMED_PLEDGE_PROMISE_ATTR, latest_pending.promise)
    latest_pending.refresh_from_db(fields=["status"])
    if latest_pending.status == Pledge.Status.WITHDRAWN:
        messages.warning(request, PLEDGE_TOO_LATE)
    elif activated:
        latest_pending.promise.refresh_from_db(fields=["pledge_count", "state"])
        messages.success(request, pledge_counted_message(latest_pending.promise))
