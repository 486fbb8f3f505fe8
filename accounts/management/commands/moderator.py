"""Make someone a moderator: staff, in the "Modération" group, which may view and change what
moderators work on (and delete nothing)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import moderator_grant, moderator_revoke


class Command(BaseCommand):
    help = "Donne à une personne (par son adresse e-mail) le rôle de modérateur, ou le retire."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--retirer", action="store_true", help="retirer le rôle")

    def handle(self, *args, email: str, retirer: bool, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Aucun compte avec l'adresse {email}.")
        if retirer:
            moderator_revoke(user=user)
            self.stdout.write(f"{user.email} n'est plus modérateur.")
            return
        moderator_grant(user=user)
        self.stdout.write(f"{user.email} est modérateur : il se connecte sur /admin/.")
