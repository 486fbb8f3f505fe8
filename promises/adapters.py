"""What a pledge adds to allauth's flows: the confirmation email names the promise waiting for
the address, and confirming it lands on that promise. settings.ACCOUNT_ADAPTER."""

from accounts.adapters import AccountAdapter

from .models import Pledge, Promise

# The confirmation at sign-up, and the one sent again (at log-in, from the email page).
CONFIRMATION_EMAILS = {
    "account/email/email_confirmation_signup",
    "account/email/email_confirmation",
}

# Set on the request by receivers.activate_pending_pledges when confirming an address has just
# activated (or closed) a pledge made while signing up.
CONFIRMED_PLEDGE_PROMISE_ATTR = "onpromet_confirmed_pledge_promise"


def confirmed_pledge_promise(request) -> Promise | None:
    return getattr(request, CONFIRMED_PLEDGE_PROMISE_ATTR, None)


def pending_pledge_promise(user) -> Promise | None:
    """The promise of the user's latest pledge that waits for their address to be confirmed
    (a visitor who clicked "Je promets" before signing up), for the confirmation email to
    name it. The one promises/receivers.py sends them to once confirmed; one query."""
    return (
        Promise.objects.visible_to(user)
        .filter(pledges__user=user, pledges__status=Pledge.Status.PENDING)
        .order_by("-pledges__created_at")
        .first()
    )


class PledgeAccountAdapter(AccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if template_prefix in CONFIRMATION_EMAILS:
            context = {**context, "promise": pending_pledge_promise(context.get("user"))}
        super().send_mail(template_prefix, email, context)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming, land on the promise one pledged to while signing up, even when the
        link is opened in another browser than the one used to sign up (the browser that signed
        up is instead sent to the sign-up form's `next`, which is that promise too).

        Only a confirmation that activated a pledge goes there: confirming a changed address
        later must not send the user back to the last promise they joined."""
        promise = confirmed_pledge_promise(self.request)
        if promise is not None:
            return promise.get_absolute_url()
        return super().get_email_verification_redirect_url(email_address)
