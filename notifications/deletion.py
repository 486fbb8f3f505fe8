"""What deleting an account (accounts.deletion) erases of the outbox: the person's email
preferences and their digests (what they were sent, or were to be). Registered from
NotificationsConfig.ready(). Pending deliveries to the account need nothing: the outbox sends
to active accounts only, and a deleted one is not."""

from accounts.models import User

from .models import Digest, EmailPreference


def notifications_erase(user: User) -> None:
    EmailPreference.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()
