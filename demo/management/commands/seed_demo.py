"""Demo data for `make run`: the stories of demo/stories.py and the people of demo/people.py
(plain data), played through the real services by demo.seeder.

Idempotent: once the moderator account exists, the command only prints the demo accounts.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from demo.people import ACCOUNTS, MODERATOR_EMAIL, PASSWORD
from demo.seeder import Seeder
from demo.stories import STORIES


class Command(BaseCommand):
    help = "Crée les données de démo (promesses, participants, comptes) ; sans effet si déjà là."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusé : DEBUG est désactivé. Les comptes de démo ont un mot de passe public."
            )
        started = time.monotonic()
        if User.objects.filter(email=MODERATOR_EMAIL).exists():
            self.stdout.write("Données de démo déjà présentes : rien à refaire.")
        else:
            seeder = Seeder(now=timezone.now())
            seeder.run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Données de démo créées : {len(STORIES)} promesses, "
                    f"{len(seeder.verified) + len(seeder.unverified)} participants, "
                    f"{seeder.posts} messages et {seeder.photos} photos "
                    f"({time.monotonic() - started:.1f} s)."
                )
            )
        self.print_accounts()

    def print_accounts(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"  Site : {settings.SITE_URL}/   (admin : {settings.SITE_URL}/admin/)")
        self.stdout.write(f"  Comptes de démo, mot de passe « {PASSWORD} » :")
        for email, _name, role in ACCOUNTS:
            self.stdout.write(f"    {email:<32} {role}")
        self.stdout.write("")
