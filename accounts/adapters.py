from allauth.account.adapter import DefaultAccountAdapter

from promises.models import Pledge


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming, land on the promise one pledged to while signing up, even when the
        link is opened in another browser than the one used to sign up."""
        pledge = (
            Pledge.objects.filter(user_id=email_address.user_id, is_initiator=False)
            .select_related("promise")
            .order_by("-created_at")
            .first()
        )
        if pledge is not None:
            return pledge.promise.get_absolute_url()
        return super().get_email_verification_redirect_url(email_address)
