"""Services of accounts: the moderator role."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User

MODERATION_GROUP = "Modération"
# (app, model): what moderators see and act on in the admin. View and change only: moderators
# hide, show and deactivate; they delete nothing and never manage staff (accounts/admin.py
# restricts what they see of a user to what moderation needs).
MODERATED = [
    ("accounts", "user"),
    ("promises", "promise"),
    ("promises", "pledge"),
    ("promises", "theme"),
    ("promises", "commitment"),
    ("discussions", "post"),
    ("discussions", "comment"),
    ("discussions", "report"),
    ("notifications", "broadcast"),
    ("notifications", "delivery"),
    ("notifications", "digest"),
    ("organisations", "organisation"),
    ("organisations", "membership"),
    ("organisations", "invitation"),
]


def moderation_group() -> Group:
    """The group of moderators, with exactly the permissions of MODERATED (made on first use,
    brought up to date on each)."""
    group, _ = Group.objects.get_or_create(name=MODERATION_GROUP)
    wanted = {
        (app, f"{action}_{model}") for app, model in MODERATED for action in ("view", "change")
    }
    permissions = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in={app for app, _ in MODERATED}
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.set(permissions)
    return group


@transaction.atomic
def moderator_grant(*, user: User) -> None:
    """Staff (to enter /admin/) and in the moderation group: never superuser."""
    user.groups.add(moderation_group())
    user.is_staff = True
    user.save(update_fields=["is_staff"])


@transaction.atomic
def moderator_revoke(*, user: User) -> None:
    user.groups.remove(moderation_group())
    # A superuser stays staff: only the moderator role is taken back.
    user.is_staff = user.is_superuser
    user.save(update_fields=["is_staff"])


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """A moderator closes an account: it can no longer log in, and what it wrote is masked
    wherever it is shown (discussions' Moderated.is_masked_for looks at the author's
    is_active)."""
    User.objects.filter(pk=user.pk).update(is_active=False)
