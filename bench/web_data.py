"""The web benchmark's data, written in bulk: a site with a thousand promises, one of which went
viral.

Rows are inserted with bulk_create (a few thousand per statement), never through the services,
but they say what the services would have left: every promise has its initiator's pledge;
`pledge_count` is the COUNT(*) of its counted pledges (recomputed at the end, in one UPDATE);
the pledges of a reached promise beyond its objective joined late, and `reached_at` is when
the objective-th one started to count; a finished promise has its published bilan; the people
who log in or pledge have a confirmed address.

The promises that the benchmark's pages show:
- `big`, the viral one: reached, its action started (some say they kept their promise), with
  `big` participants, `posts` discussion posts with photos and replies, and `news` news;
- `small`, its twin with `small` participants: same state, same discussion, same news, so that
  the two pages differ by their number of participants only;
- `bilan`, finished, with its published bilan (kept promises, abandons, photos);
- `target`, open with the largest objective, where the benchmark's pledges go;
- `led`, the promise the logged-in participant started.
"""

import datetime
import random
import secrets
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from demo.photos import photo_upload
from discussions.models import Comment, Post
from onpromet.photos import process_photo
from promises.models import Pledge, Promise, Recap, Theme, Update

BATCH = 2000
DOMAIN = "bench.onpromet.test"
PARTICIPANT_EMAIL = f"camille@{DOMAIN}"

THEMES = ["Déchets", "Vélo", "Énergie", "Jardins", "Solidarité", "Eau", "Alimentation", "Quartier"]
CITIES = ["Lyon", "Marseille", "Paris", "Nantes", "Lille", "Bordeaux", "Toulouse", "Rennes",
          "Strasbourg", "Montpellier", "Brest", "Grenoble"]  # fmt: skip
# (action, theme): a few mention "plage", the word the benchmark searches for.
ACTIONS = [
    ("ramasser les déchets sur la plage un samedi matin", "Déchets"),
    ("venir au travail à vélo pendant un mois", "Vélo"),
    ("éteindre la lumière une heure le samedi soir", "Énergie"),
    ("planter une haie dans la cour de l'école", "Jardins"),
    ("trier mes cartons au lieu de les jeter", "Déchets"),
    ("réparer mon vélo à l'atelier solidaire", "Vélo"),
    ("composter mes épluchures tout l'hiver", "Jardins"),
    ("nettoyer les berges de la rivière", "Eau"),
    ("prendre le tram plutôt que la voiture", "Quartier"),
    ("ramasser les bouteilles sur la plage après l'été", "Eau"),
    ("donner deux heures par semaine à l'épicerie solidaire", "Solidarité"),
    ("cuisiner les invendus du marché avec les voisins", "Alimentation"),
]
DESCRIPTION = (
    "On se retrouve à l'heure dite, chacun apporte ce qu'il peut.\n\n"
    "Pas besoin d'être nombreux pour commencer : il suffit d'être assez nombreux pour que "
    "cela compte. Quand l'objectif est atteint, tout le monde reçoit le rendez-vous."
)
POST_TEXT = "Belle matinée ! Voici ce que nous avons ramassé en une heure, merci à tous."
REPLY_TEXT = "Merci pour la photo, je viens la prochaine fois avec deux amis."
NEWS_TEXT = "Nouvelle étape : le matériel est prêt, rendez-vous au même endroit."
RECAP_TEXT = (
    "Nous l'avons fait ! Merci à chacune et à chacun.\n\n"
    "Les sacs ont été ramassés par la mairie le lundi suivant."
)


@dataclass
class Sizes:
    promises: int = 1000
    big: int = 5000
    small: int = 50
    posts: int = 200
    news: int = 20
    pledgers: int = 10_000  # people who have not pledged yet on `target`


@dataclass
class Scene:
    big: str  # slugs
    small: str
    bilan: str
    target: str
    led: str
    participant_email: str
    participant_password: str
    participant_name: str
    pledgers: list[int] = field(default_factory=list)  # user ids


def _users(prefix: str, count: int, rng: random.Random) -> list[User]:
    users = User.objects.bulk_create(
        (
            User(
                email=f"{prefix}{index}@{DOMAIN}",
                display_name=f"{prefix.capitalize()} {index}",
                password=UNUSABLE_PASSWORD_PREFIX,  # these people never type a password
                appears_anonymously=rng.random() < 0.1,
            )
            for index in range(1, count + 1)
        ),
        batch_size=BATCH,
    )
    _confirm(users)
    return users


def _confirm(users: list[User]) -> None:
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
        batch_size=BATCH,
    )


class _Builder:
    def __init__(self, sizes: Sizes, rng: random.Random):
        self.sizes, self.rng = sizes, rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.promises: list[Promise] = []
        self.themes: list[tuple[Promise, Theme]] = []
        self.pledges: list[Pledge] = []
        self.posts: list[Post] = []
        self.comments: list[tuple[Post, User, datetime.datetime]] = []
        self.updates: list[Update] = []
        self.recaps: list[Recap] = []

    # --- Promises and their pledges, in memory until build() writes them --------------------

    def promise(self, *, initiator, state, objective, age_days, theme=None, **fields) -> Promise:
        action, default_theme = self.rng.choice(ACTIONS)
        city = self.rng.choice(CITIES)
        created_at = self.now - datetime.timedelta(days=age_days, minutes=self.rng.randint(0, 999))
        promise = Promise(
            slug=Promise.make_slug(action),
            action=f"{action} à {city}",
            objective=objective,
            deadline=fields.pop("deadline", created_at + datetime.timedelta(days=60)),
            description=DESCRIPTION,
            city=city,
            created_by=initiator,
            created_at=created_at,
            state=state,
            **fields,
        )
        self.promises.append(promise)
        self.themes.append((promise, theme or self.theme_by_name[default_theme]))
        self.pledges.append(
            Pledge(
                promise=promise,
                user=initiator,
                is_initiator=True,
                status=Pledge.Status.ACTIVE,
                created_at=created_at,
                activated_at=created_at,
            )
        )
        return promise

    def join(self, promise: Promise, users: list[User], *, kept=0, abandoned=0, withdrawn=0):
        """`users` pledge, in this order, between the promise's start and now (or its close);
        the first `objective` of them reach it when the promise was reached."""
        start = promise.created_at + datetime.timedelta(minutes=5)
        end = min(self.now, promise.deadline) - datetime.timedelta(minutes=5)
        span = max(1.0, (end - start).total_seconds())
        times = sorted(start + datetime.timedelta(seconds=self.rng.random() * span) for _ in users)
        reached = promise.state in (Promise.State.REACHED, Promise.State.FINISHED)
        if reached:
            promise.reached_at = times[promise.objective - 1]
        pledges = []
        for index, (user, at) in enumerate(zip(users, times, strict=True)):
            pledges.append(
                Pledge(
                    promise=promise,
                    user=user,
                    status=Pledge.Status.ACTIVE,
                    created_at=at,
                    activated_at=at,
                    joined_late=reached and index >= promise.objective,
                )
            )
        self.rng.shuffle(pledges)
        for pledge in pledges[:kept]:
            pledge.kept_at = self.now - datetime.timedelta(hours=self.rng.randint(1, 40))
        for pledge in pledges[kept : kept + abandoned]:
            pledge.status = Pledge.Status.ABANDONED
            pledge.abandoned_at = self.now - datetime.timedelta(hours=self.rng.randint(1, 40))
        for pledge in pledges[kept + abandoned : kept + abandoned + withdrawn]:
            pledge.status = Pledge.Status.WITHDRAWN
            pledge.withdrawn_at = pledge.activated_at + datetime.timedelta(hours=1)
        self.pledges.extend(pledges)

    def discussion(self, promise: Promise, authors: list[User], posts: int, photos: list[dict]):
        for index in range(posts):
            at = self.now - datetime.timedelta(minutes=self.rng.randint(10, 30 * 24 * 60))
            post = Post(
                promise=promise,
                author=self.rng.choice(authors),
                text=POST_TEXT,
                created_at=at,
                is_pinned=index == 0,
                **self.rng.choice(photos),
            )
            self.posts.append(post)
            for _ in range(self.rng.randint(0, 4)):
                reply_at = at + datetime.timedelta(minutes=self.rng.randint(1, 600))
                self.comments.append((post, self.rng.choice(authors), reply_at))

    def news(self, promise: Promise, count: int, photos: list[dict]):
        for index in range(count):
            photo = self.rng.choice(photos) if index % 4 == 0 else {}
            self.updates.append(
                Update(
                    promise=promise,
                    author=promise.created_by,
                    text=NEWS_TEXT,
                    created_at=self.now - datetime.timedelta(days=index, hours=2),
                    emailed=index % 3 == 0,
                    photo=photo.get("photo", ""),
                    thumbnail=photo.get("thumbnail", ""),
                )
            )

    def finish(self, promise: Promise, days_ago: int) -> None:
        promise.finished_at = self.now - datetime.timedelta(days=days_ago)
        self.recaps.append(
            Recap(
                promise=promise,
                text=RECAP_TEXT,
                author=promise.created_by,
                created_at=promise.finished_at - datetime.timedelta(hours=3),
                published_at=promise.finished_at,
            )
        )

    # --- The whole site -----------------------------------------------------------------------

    def others(self, count: int, initiators: list[User], crowd: list[User]) -> None:
        """Promises of every state, theme and city; small ones, as most are."""
        rng, State = self.rng, Promise.State
        states = [State.OPEN] * 70 + [State.REACHED] * 10 + [State.FAILED] * 8
        states += [State.CANCELLED] * 5 + [State.FINISHED] * 7
        # Objectives the crowd can fill, plus a quarter joining on the way and a few withdrawn.
        objectives = [o for o in (5, 10, 15, 20, 30, 40, 50, 75, 100, 150) if o * 2 <= len(crowd)]
        for _ in range(count):
            state = rng.choice(states)
            objective = rng.choice(objectives or [1])
            age = rng.randint(1, 150)
            fields = {"is_hidden": rng.random() < 0.01}
            if fields["is_hidden"]:
                fields["hidden_at"] = self.now - datetime.timedelta(days=1)
            if state in (State.FAILED, State.FINISHED):
                age += 60  # closed: the deadline (60 days after the start) has passed
            else:
                fields["deadline"] = self.now + datetime.timedelta(days=rng.randint(5, 60))
            promise = self.promise(
                initiator=rng.choice(initiators),
                state=state,
                objective=objective,
                age_days=age,
                action_date=self.today + datetime.timedelta(days=rng.randint(-60, 60)),
                **fields,
            )
            if state == State.OPEN:
                joined = rng.randint(0, objective - 1)
            elif state in (State.REACHED, State.FINISHED):
                joined = objective + rng.randint(0, objective // 4)
            elif state == State.FAILED:
                joined = rng.randint(0, objective - 1)
                promise.failed_at = promise.deadline
            else:
                joined = rng.randint(0, objective // 2)
                promise.cancelled_at = min(
                    self.now, promise.created_at + datetime.timedelta(days=3)
                )
            kept = 0
            if state == State.FINISHED:
                promise.action_date = (promise.created_at + datetime.timedelta(days=40)).date()
                # Finished some time after the action's day.
                self.finish(promise, days_ago=rng.randint(1, age - 45))
                kept = joined // 3
            withdrawn = rng.randint(0, 2) if state == State.OPEN else 0
            self.join(
                promise, rng.sample(crowd, joined + withdrawn), kept=kept, withdrawn=withdrawn
            )

    def write(self) -> None:
        Promise.objects.bulk_create(self.promises, batch_size=BATCH)
        Promise.themes.through.objects.bulk_create(
            (
                Promise.themes.through(promise_id=promise.pk, theme_id=theme.pk)
                for promise, theme in self.themes
            ),
            batch_size=BATCH,
        )
        Pledge.objects.bulk_create(self.pledges, batch_size=BATCH)
        Post.objects.bulk_create(self.posts, batch_size=BATCH)
        Comment.objects.bulk_create(
            (
                Comment(post=post, author=author, text=REPLY_TEXT, created_at=at)
                for post, author, at in self.comments
            ),
            batch_size=BATCH,
        )
        Update.objects.bulk_create(self.updates, batch_size=BATCH)
        Recap.objects.bulk_create(self.recaps, batch_size=BATCH)


def _photos(count: int, rng: random.Random) -> list[dict]:
    """A few real photos, through the site's own processing once each; posts share them."""
    photos = []
    month = f"{timezone.now():%Y/%m}"
    for scene in ["plage", "sacs", "berges"][:count]:
        processed = process_photo(photo_upload(scene, rng))
        photos.append(
            {
                "photo": default_storage.save(
                    f"photos/{month}/{processed.image.name}", processed.image
                ),
                "thumbnail": default_storage.save(
                    f"photos/{month}/{processed.thumbnail.name}", processed.thumbnail
                ),
                "photo_width": processed.width,
                "photo_height": processed.height,
            }
        )
    return photos


def _counted():
    """COUNT(*) of a promise's counted pledges (what Promise.pledge_count keeps), per row."""
    counted = (
        Pledge.objects.filter(promise=OuterRef("pk"))
        .participants()
        .order_by()
        .values("promise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def recount() -> None:
    """Every promise's counter, from its counted pledges (what the services keep it equal to)."""
    Promise.objects.update(pledge_count=_counted())


def counters_wrong() -> list[tuple[str, int, int]]:
    """The promises whose counter is not the COUNT(*) of their counted pledges: (slug,
    pledge_count, COUNT(*)). Empty when every counter is exact."""
    return list(
        Promise.objects.annotate(counted=_counted())
        .exclude(pledge_count=F("counted"))
        .values_list("slug", "pledge_count", "counted")
    )


@transaction.atomic
def build(sizes: Sizes | None = None, *, seed: int = 12) -> Scene:
    """Write the whole site on an empty database (just migrated, or a test's)."""
    sizes = sizes or Sizes()
    if sizes.small > sizes.big or sizes.promises < 5 or sizes.small < 5:
        raise ValueError("need small <= big, small >= 5 and at least 5 promises")
    rng = random.Random(seed)  # noqa: S311 (the same data at every run, nothing secret)
    builder = _Builder(sizes, rng)
    State = Promise.State
    builder.theme_by_name = {
        theme.name: theme
        for theme in Theme.objects.bulk_create(Theme(name=n, slug=slugify(n)) for n in THEMES)
    }

    password = secrets.token_urlsafe(16)
    participant = User.objects.create(
        email=PARTICIPANT_EMAIL, display_name="Camille Bench", password=make_password(password)
    )
    _confirm([participant])
    initiators = _users("initiatrice", max(1, sizes.promises // 5), rng)
    # The viral promise's people; the others pledge among them too.
    crowd = _users("participant", sizes.big - 1, rng)
    pledgers = _users("pledger", sizes.pledgers, rng)
    photos = _photos(3, rng)

    # The viral promise and its twin: reached, the action began two days ago.
    twins = {}
    for name, people in (("big", sizes.big), ("small", sizes.small)):
        promise = builder.promise(
            initiator=initiators[0],
            state=State.REACHED,
            objective=people * 4 // 5,
            age_days=40,
            deadline=builder.now + datetime.timedelta(days=20),
            action_date=builder.today - datetime.timedelta(days=2),
        )
        # The participant pledged first, and has not said yet they kept their promise.
        builder.join(promise, [participant, *crowd[: people - 1]], kept=people // 8)
        for pledge in builder.pledges:
            if pledge.promise is promise and pledge.user is participant:
                pledge.kept_at = None
        authors = [initiators[0], *crowd[: min(50, sizes.small) - 1]]
        builder.discussion(promise, authors, sizes.posts, photos)
        builder.news(promise, sizes.news, photos)
        twins[name] = promise

    bilan_people = min(len(crowd), 200)
    bilan = builder.promise(
        initiator=initiators[-1],
        state=State.FINISHED,
        objective=max(1, bilan_people * 3 // 4),
        age_days=120,
        action_date=builder.today - datetime.timedelta(days=30),
    )
    builder.finish(bilan, days_ago=20)
    builder.join(
        bilan, crowd[-bilan_people:], kept=bilan_people * 2 // 5, abandoned=bilan_people // 7
    )
    builder.discussion(bilan, crowd[-bilan_people:], min(10, sizes.posts), photos)

    target = builder.promise(
        initiator=initiators[-1],
        state=State.OPEN,
        objective=Promise.OBJECTIVE_MAX,
        age_days=3,
        deadline=builder.now + datetime.timedelta(days=30),
    )
    led = builder.promise(
        initiator=participant,
        state=State.OPEN,
        objective=30,
        age_days=5,
        deadline=builder.now + datetime.timedelta(days=25),
    )
    builder.join(led, crowd[:12])

    builder.others(sizes.promises - 5, initiators, crowd)
    # The participant's dashboard: a few more pledges, on open promises their pledge does not
    # bring to the objective.
    counted = {}
    for pledge in builder.pledges:
        if pledge.is_active and not pledge.is_initiator:
            counted[id(pledge.promise)] = counted.get(id(pledge.promise), 0) + 1
    open_ones = [
        p
        for p in builder.promises[5:]
        if p.state == State.OPEN and counted.get(id(p), 0) + 1 < p.objective
    ]
    for promise in open_ones[:8]:
        builder.join(promise, [participant])
    builder.write()
    recount()
    wrong = counters_wrong()
    if wrong:
        raise AssertionError(f"counters differ from COUNT(*): {wrong[:5]}")
    return Scene(
        big=twins["big"].slug,
        small=twins["small"].slug,
        bilan=bilan.slug,
        target=target.slug,
        led=led.slug,
        participant_email=participant.email,
        participant_password=password,
        participant_name=participant.display_name,
        pledgers=[user.pk for user in pledgers],
    )


def analyze() -> None:
    """As autovacuum would have done long before the site got this big (outside a
    transaction): statistics for the planner, and the visibility map that lets counts read
    an index alone."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
