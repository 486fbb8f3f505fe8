from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from notifications.services import email_send_later
from promises.models import Promise

# Set on the request by receivers.activate_pending_pledges when confirming an address has just
# activated (or closed) a pledge made while signing up.
CONFIRMED_PLEDGE_PROMISE_ATTR = "onpromet_confirmed_pledge_promise"


def confirmed_pledge_promise(request) -> Promise | None:
    return getattr(request, CONFIRMED_PLEDGE_PROMISE_ATTR, None)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (confirmation, password reset…) are rendered here and sent by a
        worker: a request never waits on the SMTP server."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        email_send_later(message=self.render_mail(template_prefix, email, context))

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
