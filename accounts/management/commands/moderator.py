"""Make someone a moderator: staff, in the "Modération" group, which may view and change what
moderators work on (and delete nothing)."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

GROUP = "Modération"
# (app, model): what moderators see and act on in the admin.
MODERATED = [
    ("accounts", "user"),
    ("promises", "promise"),
    ("promises", "pledge"),
    ("promises", "theme"),
    ("discussions", "post"),
    ("discussions", "comment"),
    ("discussions", "report"),
    ("notifications", "broadcast"),
    ("notifications", "delivery"),
]


def moderation_group() -> Group:
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in MODERATED},
        codename__in=[
            f"{action}_{model}" for _, model in MODERATED for action in ("view", "change")
        ],
    )
    group.permissions.set(permissions)
    return group


class Command(BaseCommand):
    help = "Donne à une personne (par son adresse e-mail) le rôle de modérateur, ou le retire."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--retirer", action="store_true", help="retirer le rôle")

    @transaction.atomic
    def handle(self, *args, email: str, retirer: bool, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Aucun compte avec l'adresse {email}.")
        group = moderation_group()
        if retirer:
            user.groups.remove(group)
            user.is_staff = user.is_superuser
            user.save(update_fields=["is_staff"])
            self.stdout.write(f"{user.email} n'est plus modérateur.")
            return
        user.groups.add(group)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        self.stdout.write(f"{user.email} est modérateur : il se connecte sur /admin/.")
