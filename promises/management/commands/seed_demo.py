"""Demo data for `make run`: French stories, promises in every state, a few hundred people.

The promises go through the real services (promise_create, pledge_create, pledge_withdraw,
pledge_abandon, promise_cancel, promises_fail_expired), so counters and transitions are the ones
the site itself would produce. Only afterwards are the timestamps moved into the past weeks with
queryset updates, so that listings look natural: the order of the service calls is the order of
those timestamps, hence reached_at is the activation time of the pledge that reached the
objective and late joiners are activated after it.

Idempotent: once the moderator account exists, the command only prints the demo accounts.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import override

from accounts.models import User
from accounts.services import moderator_grant
from notifications.models import Broadcast
from promises import services
from promises.models import Pledge, Promise, Recap, Theme
from promises.text import elide_de

# The documented demo password; the command refuses to run when DEBUG is off.
PASSWORD = "onpromet-demo"  # noqa: S105  # nosec B105
MODERATOR_EMAIL = "moderation@onpromet.localhost"
DEMO_DOMAIN = "demo.onpromet.localhost"

# (email, display name, role shown in the output); the moderator comes first.
ACCOUNTS = [
    (MODERATOR_EMAIL, "Modération", "modérateur (/admin/)"),
    ("elsa@onpromet.localhost", "Elsa", "initiatrice (plage de Biscarosse)"),
    ("arthur@onpromet.localhost", "Arthur", "initiateur (Bordeaux sans voiture)"),
    ("paula@onpromet.localhost", "Paula", "participante"),
]

THEMES = ["Environnement", "Mobilité", "Alimentation", "Solidarité", "Déchets", "Vivre ensemble"]

FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Alice", "Lina", "Zoé",
    "Sarah", "Juliette", "Lucie", "Clara", "Anaïs", "Margaux", "Mathilde", "Pauline", "Marion",
    "Laura", "Julie", "Claire", "Hélène", "Nathalie", "Sandrine", "Isabelle", "Sylvie",
    "Christine", "Martine", "Agathe", "Rose", "Ambre", "Romane", "Nour", "Yasmine", "Fatou",
    "Aïcha", "Maëlle", "Gwenaëlle", "Solène", "Lucas", "Hugo", "Louis", "Gabriel", "Arthur",
    "Jules", "Adam", "Raphaël", "Léo", "Tom", "Théo", "Nathan", "Paul", "Maxime", "Antoine",
    "Thomas", "Nicolas", "Julien", "Pierre", "Alexandre", "Guillaume", "Mathieu", "Sébastien",
    "Olivier", "Philippe", "Laurent", "Éric", "François", "Bernard", "Jean", "Michel", "Karim",
    "Mehdi", "Youssef", "Samir", "Moussa", "Yannick", "Erwan", "Loïc", "Gaël", "Baptiste",
    "Clément", "Romain", "Victor", "Martin", "Simon", "Bastien", "Quentin", "Florian", "Axel",
    "Dominique", "Frédérique",
)  # fmt: skip

INITIALS = "ABCDEFGHJLMNPRSTV"


@dataclass
class Story:
    """One promise and the life of its pledges, relative to now."""

    action: str
    objective: int
    city: str
    themes: list[str]
    description: str
    initiator: str  # display name of a demo account or of a named local initiator
    created_ago: datetime.timedelta
    deadline: datetime.datetime
    action_date: datetime.date | None
    state: str
    counted: int  # open/failed/cancelled: the final count; reached: the objective
    withdrawn: int = 0  # open/failed/cancelled only: a withdrawal can't happen once reached
    pending: int = 0  # unconfirmed email addresses
    late: int = 0  # reached only: joined after the objective was reached
    abandons: list[str] = field(default_factory=list)  # reached only: one reason each
    reached_ago: datetime.timedelta | None = None
    cancelled_ago: datetime.timedelta | None = None
    with_paula: bool = False
    # reached only: the initiator publishes this bilan (the promise is then finished), after
    # `kept` participants said they kept their promise.
    recap: str = ""
    kept: int = 0
    finished_ago: datetime.timedelta | None = None


def _french_day(day: datetime.date) -> str:
    """samedi 5 décembre, mardi 1er décembre."""
    with override("fr"):
        text = date_format(day, "l j F")
    return text.replace(" 1 ", " 1er ", 1)


def _next_weekday(start: datetime.date, weekday: int) -> datetime.date:
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def _month_ahead(today: datetime.date, min_days: int) -> datetime.date:
    """The first day of the first month that starts at least min_days from today."""
    day = today + datetime.timedelta(days=min_days)
    if day.day == 1:
        return day
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _month_name(day: datetime.date) -> str:
    with override("fr"):
        return date_format(day, "F")


def _evening(day: datetime.date) -> datetime.datetime:
    """20:00 in Paris on that day: when a deadline falls."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(20, 0)))


def _stories(now: datetime.datetime) -> list[Story]:
    today = timezone.localdate(now)
    days = datetime.timedelta
    MON, TUE, SAT, SUN = 0, 1, 5, 6

    beach = _next_weekday(today + days(10), SAT)
    car_month = _month_ahead(today, 8)
    car_tuesday = _next_weekday(car_month, TUE)
    bike_month = _month_ahead(today, 35)
    food = _next_weekday(today + days(5), SAT)
    repair = _next_weekday(today + days(14), SAT)
    compost = _next_weekday(today + days(40), SAT)
    first_aid = _next_weekday(today + days(21), SAT)
    hedge_deadline = today - days(4)
    cleanup = _next_weekday(today - days(36), SUN)
    soup = _next_weekday(today - days(12), SUN)

    return [
        Story(
            action=(
                f"ramasser les mégots autour du Vieux-Port de Marseille le {_french_day(cleanup)}"
            ),
            objective=20,
            city="Marseille",
            themes=["Environnement", "Déchets"],
            description=(
                "Un mégot jeté par terre finit presque toujours dans la mer, et pollue à lui "
                "seul des centaines de litres d'eau.\n\n"
                "Rendez-vous à 10 h devant l'ombrière du Vieux-Port. Bouteilles de collecte et "
                "gants fournis ; les mégots partent ensuite au recyclage.\n\n"
                "Pourquoi les mégots : https://www.surfrider.eu/"
            ),
            initiator="Elsa",
            created_ago=days(70, hours=2),
            deadline=_evening(cleanup - days(5)),
            action_date=cleanup,
            state=Promise.State.REACHED,
            counted=20,
            pending=1,
            late=6,
            abandons=[
                "Mon fils est tombé malade la veille, je suis restée à la maison.",
                "Train annulé depuis Aix, impossible de venir à temps. La prochaine fois !",
            ],
            reached_ago=days(50, hours=5),
            recap=(
                "Quelle matinée ! Nous étions une vingtaine sous le soleil d'automne, de "
                "l'ombrière jusqu'au fort Saint-Jean.\n\n"
                "Résultat : 14 bouteilles de 1,5 litre remplies de mégots, soit environ "
                "11 000 mégots qui n'iront pas dans la mer. Ils sont partis au recyclage.\n\n"
                "Merci à toutes et à tous, et bienvenue aux six personnes qui nous ont "
                "rejoints en cours de route. On remet ça au printemps ?"
            ),
            kept=17,
            finished_ago=days(12, hours=3),
        ),
        Story(
            action=f"aller nettoyer la plage de Biscarosse le {_french_day(beach)}",
            objective=50,
            city="Biscarosse",
            themes=["Environnement", "Déchets"],
            description=(
                "Les tempêtes de l'automne ont laissé des kilos de plastique, de cordages et de "
                "filets sur la plage centrale de Biscarosse.\n\n"
                "Rendez-vous à 9 h devant le poste de secours de la plage centrale. Gants, sacs "
                "et pinces sont fournis par l'association ; apportez une gourde et des "
                "vêtements chauds.\n"
                "On pèsera les déchets ramassés et on enverra les chiffres à Surfrider pour "
                "leur inventaire.\n\n"
                "Plus d'infos sur les collectes : https://www.initiativesoceanes.org/"
            ),
            initiator="Elsa",
            created_ago=days(24, hours=3),
            deadline=_evening(beach - days(3)),
            action_date=beach,
            state=Promise.State.REACHED,
            counted=50,
            pending=2,
            late=13,
            abandons=[
                "Je me suis fait une entorse au foot dimanche, désolée ! Je viendrai à la "
                "prochaine.",
                "Finalement je travaille ce samedi-là, je n'ai pas pu échanger mon service.",
            ],
            reached_ago=days(5, hours=7),
            with_paula=True,
        ),
        Story(
            action=(
                f"laisser ma voiture au garage tous les mardis {elide_de(_month_name(car_month))},"
                " dans Bordeaux Métropole"
            ),
            objective=100,
            city="Bordeaux",
            themes=["Mobilité", "Environnement"],
            description=(
                "Un jour par semaine sans voiture, ce n'est pas grand-chose pour chacun, mais à "
                "cent, c'est plus de 400 trajets en voiture en moins sur la rocade.\n\n"
                "Le mardi, on prend le tram, le bus, le vélo, on marche ou on covoiture. "
                f"Premier mardi : le {_french_day(car_tuesday)}.\n"
                "On partagera nos trajets et nos astuces dans la discussion.\n\n"
                "Horaires et itinéraires : https://www.infotbm.com/"
            ),
            initiator="Arthur",
            created_ago=days(19, hours=5),
            deadline=_evening(car_month - days(1)),
            action_date=car_tuesday,
            state=Promise.State.OPEN,
            counted=87,
            withdrawn=3,
            pending=2,
            with_paula=True,
        ),
        Story(
            action=(
                "installer un composteur partagé au jardin de la Montée de la Grande-Côte et y "
                "apporter mes épluchures chaque semaine"
            ),
            objective=30,
            city="Lyon (Croix-Rousse)",
            themes=["Alimentation", "Déchets", "Vivre ensemble"],
            description=(
                "Un tiers de nos poubelles, ce sont des déchets de cuisine qui pourraient "
                "nourrir les jardins des pentes.\n\n"
                "La Métropole fournit gratuitement le bac et une formation de référent si nous "
                "sommes au moins trente foyers.\n"
                "Ensuite : un bioseau par foyer, et une permanence le samedi matin pour "
                "brasser le compost ensemble.\n\n"
                "Le compostage partagé à Lyon : https://www.grandlyon.com/"
            ),
            initiator="Inès",
            created_ago=days(2, hours=4),
            deadline=_evening(compost - days(7)),
            action_date=compost,
            state=Promise.State.OPEN,
            counted=6,
            pending=1,
        ),
        Story(
            action=(
                f"tenir deux heures la collecte de la Banque alimentaire au Carrefour de "
                f"Villeurbanne le {_french_day(food)}"
            ),
            objective=25,
            city="Villeurbanne",
            themes=["Solidarité", "Alimentation"],
            description=(
                "Chaque fin novembre, la collecte nationale remplit les étagères de la Banque "
                "alimentaire du Rhône pour tout l'hiver.\n\n"
                "Il faut des bras de 9 h à 19 h : accueillir les clients, leur remettre la "
                "liste des produits utiles, trier les dons dans les cartons.\n"
                "Créneaux de deux heures, chasuble fournie.\n\n"
                "La collecte : https://www.banquealimentaire.org/"
            ),
            initiator="Karim",
            created_ago=days(11, hours=2),
            deadline=_evening(food - days(1)),
            action_date=food,
            state=Promise.State.OPEN,
            counted=21,
            withdrawn=1,
            pending=1,
            with_paula=True,
        ),
        Story(
            action=(
                f"aller au travail à vélo chaque jour ouvré {elide_de(_month_name(bike_month))}"
                ", même sous la pluie, à Strasbourg"
            ),
            objective=200,
            city="Strasbourg",
            themes=["Mobilité"],
            description=(
                "Le vélo en été, tout le monde sait faire. Le défi, c'est l'hiver !\n\n"
                "On compte nos kilomètres, on se donne des conseils (éclairage, gants, "
                "garde-boue) et on organise des convois depuis Koenigshoffen, la Robertsau et "
                "Illkirch pour les moins rassurés.\n"
                "Les entreprises participantes offrent un petit-déjeuner le premier lundi.\n\n"
                "Pour bien s'équiper : https://www.fub.fr/"
            ),
            initiator="Mathilde",
            created_ago=days(9, hours=6),
            deadline=_evening(bike_month - days(3)),
            action_date=_next_weekday(bike_month, MON),
            state=Promise.State.OPEN,
            counted=46,
            withdrawn=2,
            pending=2,
        ),
        Story(
            action="apprendre les gestes qui sauvent avec la Protection civile à Marseille",
            objective=15,
            city="Marseille",
            themes=["Solidarité", "Vivre ensemble"],
            description=(
                "Une formation PSC1 de sept heures, un samedi, à la Belle de Mai.\n\n"
                "Si nous sommes quinze, l'antenne locale ouvre une session rien que pour nous, "
                f"le {_french_day(first_aid)}. Coût : 60 €, souvent remboursés par les "
                "mutuelles.\n\n"
                "Le programme : https://www.protection-civile.org/"
            ),
            initiator="Lucas",
            created_ago=days(0, hours=5),
            deadline=_evening(first_aid - days(7)),
            action_date=first_aid,
            state=Promise.State.OPEN,
            counted=1,
        ),
        Story(
            action=(
                "tenir un stand au Repair Café de Chantenay, à Nantes, un samedi par mois "
                "pendant six mois"
            ),
            objective=12,
            city="Nantes",
            themes=["Déchets", "Vivre ensemble"],
            description=(
                "Grille-pain, vélos, vêtements, ordinateurs : chaque mois, des dizaines "
                "d'objets repartent réparés au lieu de finir à la déchetterie.\n\n"
                "Il nous faut douze bénévoles pour ouvrir tous les mois : bricoleurs, "
                "couturières, électroniciens, mais aussi des gens pour l'accueil et le café.\n"
                f"Première séance le {_french_day(repair)}, de 14 h à 18 h, à la maison de "
                "quartier.\n\n"
                "Le réseau : https://www.repaircafe.org/fr/"
            ),
            initiator="Yannick",
            created_ago=days(34, hours=1),
            deadline=_evening(repair - days(7)),
            action_date=repair,
            state=Promise.State.REACHED,
            counted=12,
            pending=1,
            late=3,
            abandons=["Je déménage à Rennes en janvier. Bonne continuation à tous !"],
            reached_ago=days(12, hours=2),
        ),
        Story(
            action=(
                "planter une haie bocagère de 300 mètres à la ferme de la Touche, près de Rennes"
            ),
            objective=40,
            city="Rennes",
            themes=["Environnement"],
            description=(
                "Noisetiers, charmes, aubépines, églantiers : 900 plants à mettre en terre en "
                "une journée pour abriter les oiseaux et retenir l'eau.\n\n"
                "Bêches et plants fournis ; venez avec des bottes. Repas partagé à la ferme "
                "le midi.\n\n"
                "Pourquoi les haies : https://afac-agroforesteries.fr/"
            ),
            initiator="Gwenaëlle",
            created_ago=days(40, hours=2),
            deadline=_evening(hedge_deadline),
            action_date=hedge_deadline + days(10),
            state=Promise.State.FAILED,
            counted=23,
            withdrawn=2,
            pending=1,
            with_paula=True,
        ),
        Story(
            action=(
                "éplucher les invendus du marché de Wazemmes pour une disco soupe géante "
                f"le {_french_day(soup)}"
            ),
            objective=30,
            city="Lille",
            themes=["Alimentation", "Vivre ensemble", "Déchets"],
            description=(
                "Des cagettes de légumes abîmés mais bons, de la musique, des couteaux et des "
                "grandes marmites : une soupe offerte à tout le quartier.\n\n"
                "Mise à jour : le marché est déplacé pour travaux ce dimanche-là et nous "
                "n'avons plus de place pour les marmites. J'annule, merci à vous, on "
                "remettra ça au printemps !\n\n"
                "Le mouvement : https://discosoupe.org/"
            ),
            initiator="Sophie",
            created_ago=days(30, hours=4),
            deadline=_evening(soup - days(2)),
            action_date=soup,
            state=Promise.State.CANCELLED,
            counted=9,
            withdrawn=1,
            cancelled_ago=days(8, hours=3),
        ),
    ]


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
            promises, people = Seeder(now=timezone.now()).run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Données de démo créées : {promises} promesses, {people} participants "
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


class Seeder:
    """Builds the demo in one transaction: all of it or nothing, so a rerun never half-seeds."""

    def __init__(self, *, now: datetime.datetime) -> None:
        self.now = now
        # Not for security: the same demo every time.
        self.rng = random.Random(2027)  # noqa: S311  # nosec B311
        # Intended timestamps, applied once the services have run.
        self.pledge_times: dict[tuple[int, int], dict[str, datetime.datetime | None]] = {}
        self.first_seen: dict[int, datetime.datetime] = {}

    @transaction.atomic
    def run(self) -> tuple[int, int]:
        themes = {
            name: Theme.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in THEMES
        }
        self.create_people()
        stories = _stories(self.now)
        played = [(story, self.play(story, themes)) for story in stories]
        self.apply_pledge_times()
        for story, promise in played:
            if story.recap:
                self.publish_recap(story, promise)
        # The demo's stories happened weeks ago: their emails belong to the past and are not
        # sent now. (The tasks enqueued on commit find no broadcast and do nothing.)
        Broadcast.objects.filter(promise__created_by__in=self.by_name.values()).delete()
        return len(stories), len(self.verified) + len(self.unverified)

    # --- People -------------------------------------------------------------------------------

    def create_people(self) -> None:
        password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
        joined = self.now - datetime.timedelta(days=45)
        accounts = [
            User(
                email=email,
                display_name=name,
                password=password,
                date_joined=joined,
            )
            for email, name, _role in ACCOUNTS
        ]
        initiators = ["Inès", "Karim", "Mathilde", "Lucas", "Yannick", "Gwenaëlle", "Sophie"]
        people = []
        for i in range(260):
            first = self.rng.choice(FIRST_NAMES)
            name = first if self.rng.random() < 0.4 else f"{first} {self.rng.choice(INITIALS)}."
            people.append(
                User(
                    email=f"{slugify(first)}.{i:03d}@{DEMO_DOMAIN}",
                    display_name=name,
                    password=password,
                    appears_anonymously=self.rng.random() < 0.12,
                    date_joined=joined,
                )
            )
        local = [
            User(
                email=f"{slugify(name)}@{DEMO_DOMAIN}",
                display_name=name,
                password=password,
                date_joined=joined,
            )
            for name in initiators
        ]
        users = User.objects.bulk_create(accounts + local + people)
        # A real moderator, as `manage.py moderator` makes one: staff, never superuser.
        moderator_grant(user=users[0])
        self.by_name = {user.display_name: user for user in users[: len(accounts) + len(local)]}
        # One in fifteen has not clicked the confirmation link yet: their pledges are pending.
        self.unverified = people[::15]
        unverified_ids = {user.pk for user in self.unverified}
        self.verified = [user for user in people if user.pk not in unverified_ids]
        EmailAddress.objects.bulk_create(
            EmailAddress(
                user=user, email=user.email, primary=True, verified=user.pk not in unverified_ids
            )
            for user in users
        )

    # --- Promises -----------------------------------------------------------------------------

    def play(self, story: Story, themes: dict[str, Theme]) -> Promise:
        """Run one story through the services, in the order of its intended timestamps."""
        created_at = self.daytime(
            self.now - story.created_ago, self.now - datetime.timedelta(hours=1)
        )
        if story.state == Promise.State.FAILED:
            end = story.deadline  # pledges stop at the deadline; the sweep fails it just after
        elif story.state == Promise.State.CANCELLED:
            end = min(self.now - story.cancelled_ago, story.deadline - datetime.timedelta(hours=2))
        else:
            end = self.now - (story.finished_ago or datetime.timedelta(minutes=10))
        initiator = self.by_name[story.initiator]
        promise = services.promise_create(
            created_by=initiator,
            action=story.action,
            objective=story.objective,
            # Pledges are only taken before the deadline: it moves to its real place at the end.
            deadline=max(story.deadline, self.now + datetime.timedelta(days=1)),
            description=story.description,
            city=story.city,
            themes=[themes[name] for name in story.themes],
            action_date=story.action_date,
        )
        self.note(promise, initiator, created=created_at, activated=created_at)

        reached, reached_at = story.state == Promise.State.REACHED, None
        if reached:
            reached_at = self.daytime(self.now - story.reached_ago, self.now)
            early = self.spread(created_at, reached_at, story.counted - 1) + [reached_at]
            late = self.spread(reached_at, end, story.late)
        else:
            early = self.spread(created_at, end, story.counted + story.withdrawn)
            late = []

        pool = [user for user in self.verified if user != initiator]
        sampled = self.rng.sample(pool, len(early) + len(late))
        early_people, late_people = sampled[: len(early)], sampled[len(early) :]
        paula = self.by_name["Paula"]
        if story.with_paula:
            # Paula keeps her word: she neither withdraws nor abandons.
            early_people[self.rng.randrange(len(story.abandons), len(early))] = paula
        pledgers = list(zip(early + late, early_people + late_people, strict=True))
        # (time, order, kind, user, reason): order breaks ties so a pledge precedes its withdrawal.
        events = [(at, 0, "pledge", user, "") for at, user in pledgers]
        may_withdraw = [(at, user) for at, user in pledgers if user != paula]
        for at, user in self.rng.sample(may_withdraw, story.withdrawn):  # never once reached
            events.append((self.between(at, end), 1, "withdraw", user, ""))
        for reason, (at, user) in zip(story.abandons, pledgers, strict=False):
            events.append((self.between(max(at, reached_at), end), 1, "abandon", user, reason))
        for user in self.rng.sample(self.unverified, story.pending):
            events.append((self.between(created_at, end), 0, "pledge", user, ""))

        for at, _order, kind, user, reason in sorted(events, key=lambda e: e[:2]):
            if kind == "pledge":
                pledge = services.pledge_create(promise=promise, user=user)
                activated = at if pledge.is_active else None
                # Someone new signs up then clicks the link in the email a few minutes later.
                pledged = at - datetime.timedelta(minutes=self.rng.choice([0, 0, 0, 3, 7, 18]))
                self.note(promise, user, created=pledged, activated=activated)
                if pledge.promise.is_reached and promise.reached_at is None:
                    promise.reached_at = at
            elif kind == "withdraw":
                services.pledge_withdraw(promise=promise, user=user)
                self.note(promise, user, withdrawn_at=at)
            else:
                services.pledge_abandon(promise=promise, user=user, reason=reason)
                self.note(promise, user, abandoned_at=at)

        times = {"created_at": created_at, "updated_at": created_at}
        if reached:
            times["reached_at"] = promise.reached_at
        elif story.state == Promise.State.CANCELLED:
            services.promise_cancel(promise=promise)
            times["cancelled_at"] = end
        Promise.objects.filter(pk=promise.pk).update(deadline=story.deadline, **times)
        promise.refresh_from_db()
        if story.state == Promise.State.FAILED:
            # What the beat's sweep does a few minutes after the deadline.
            services.promises_fail_expired()
            Promise.objects.filter(pk=promise.pk).update(
                failed_at=end + datetime.timedelta(minutes=3)
            )
        return promise

    def publish_recap(self, story: Story, promise: Promise) -> None:
        """The end of the story: some say they kept their promise on the evening of the action,
        then the initiator writes and publishes the bilan (the promise becomes finished).
        Through the services, then dated like the rest."""
        evening = _evening(story.action_date)
        active = list(
            promise.pledges.filter(is_initiator=False, status=Pledge.Status.ACTIVE)
            .select_related("user")
            .order_by("pk")
        )
        for pledge in self.rng.sample(active, min(story.kept, len(active))):
            services.pledge_keep(promise=promise, user=pledge.user)
        Pledge.objects.filter(promise=promise, kept_at__isnull=False).update(kept_at=evening)
        services.recap_save(promise=promise, author=promise.created_by, text=story.recap)
        services.recap_publish(promise=promise)
        finished_at = self.now - story.finished_ago
        Promise.objects.filter(pk=promise.pk).update(finished_at=finished_at)
        Recap.objects.filter(promise=promise).update(
            created_at=finished_at - datetime.timedelta(hours=2), published_at=finished_at
        )

    def spread(
        self, start: datetime.datetime, end: datetime.datetime, count: int
    ) -> list[datetime.datetime]:
        """Times between start and end, many in the first days (the link has just been
        shared), then a trickle."""
        span = (end - start).total_seconds()
        margin = min(1200, span / 10)
        return sorted(
            self.daytime(
                start
                + datetime.timedelta(seconds=margin + (span - margin) * self.rng.random() ** 1.4),
                end,
            )
            for _ in range(count)
        )

    def daytime(self, moment: datetime.datetime, limit: datetime.datetime) -> datetime.datetime:
        """People pledge by day: a time in the small hours moves to the morning."""
        if timezone.localtime(moment).hour < 7:
            moment += datetime.timedelta(hours=7)
        return min(moment, limit)

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        return self.daytime(start + (end - start) * (0.1 + 0.85 * self.rng.random()), end)

    def note(self, promise: Promise, user: User, **times) -> None:
        self.pledge_times.setdefault((promise.pk, user.pk), {}).update(times)
        if "created" in times:
            seen = self.first_seen.get(user.pk)
            if seen is None or times["created"] < seen:
                self.first_seen[user.pk] = times["created"]

    def apply_pledge_times(self) -> None:
        pledges = list(Pledge.objects.filter(promise__in={pk for pk, _ in self.pledge_times}))
        for pledge in pledges:
            times = self.pledge_times[(pledge.promise_id, pledge.user_id)]
            pledge.created_at = times["created"]
            pledge.activated_at = times["activated"] if pledge.activated_at else None
            if pledge.withdrawn_at:
                pledge.withdrawn_at = times["withdrawn_at"]
            if pledge.abandoned_at:
                pledge.abandoned_at = times["abandoned_at"]
        Pledge.objects.bulk_update(
            pledges, ["created_at", "activated_at", "withdrawn_at", "abandoned_at"]
        )
        # Everyone signed up a little before their first pledge.
        users = list(User.objects.filter(pk__in=self.first_seen))
        for user in users:
            minutes = self.rng.randint(2, 90)
            user.date_joined = self.first_seen[user.pk] - datetime.timedelta(minutes=minutes)
        User.objects.bulk_update(users, ["date_joined"])
