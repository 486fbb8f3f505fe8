import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from organisations.models import Membership, Organisation

from . import text

# Letters and digits nobody misreads on a poster or types wrong from an SMS (no 0/o, 1/l/i).
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def short_code_new() -> str:
    """A promise's short code: 31**7, about 27 billion codes, drawn at random."""
    return random_code(7)


def share_token_new() -> str:
    """A participant's share token: 31**12, about 8 * 10**17, so that no one finds another's
    by trying; it says nothing of its owner."""
    return random_code(12)


class Theme(models.Model):
    name = models.CharField("nom", max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(
        "description",
        max_length=300,
        blank=True,
        help_text="Une ou deux phrases, en tête de la page du thème.",
    )
    # An emoji: every phone and browser draws it, in colour, with no file to load.
    icon = models.CharField("icône", max_length=8, blank=True, help_text="Un emoji : 🌱, 🚲…")

    class Meta:
        ordering = ["name"]
        verbose_name = "thème"
        verbose_name_plural = "thèmes"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("theme", kwargs={"slug": self.slug})


class PromiseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PromiseQuerySet":
        """The one place that decides which promises a visitor may see: moderators see
        everything, initiators see their own hidden promise, others only what is not hidden;
        and a promise for an organisation's members only, nobody but its members, moderators
        included (they handle it in the admin)."""
        if not user.is_authenticated:
            return self.filter(is_hidden=False, visibility=Promise.Visibility.PUBLIC)
        member = Membership.objects.filter(organisation=OuterRef("organisation_id"), user=user)
        promises = self.filter(Q(visibility=Promise.Visibility.PUBLIC) | Exists(member))
        if user.is_staff:
            return promises
        own = Pledge.objects.filter(promise=OuterRef("pk"), user=user).initiators()
        return promises.filter(Q(is_hidden=False) | Exists(own))

    def listed(self) -> "PromiseQuerySet":
        """What a listing shows of what visible_to() lets a visitor see: never a hidden
        promise, whoever looks (its initiators find it on their dashboard, moderators in the
        admin). Always after visible_to()."""
        return self.filter(is_hidden=False)


class Promise(models.Model):
    class Weekday(models.IntegerChoices):
        # The numbers of datetime.date.weekday(): Monday is 0.
        MONDAY = 0, "lundi"
        TUESDAY = 1, "mardi"
        WEDNESDAY = 2, "mercredi"
        THURSDAY = 3, "jeudi"
        FRIDAY = 4, "vendredi"
        SATURDAY = 5, "samedi"
        SUNDAY = 6, "dimanche"

    class State(models.TextChoices):
        OPEN = "open", "en cours"
        REACHED = "reached", "objectif atteint"
        FAILED = "failed", "objectif non atteint"
        CANCELLED = "cancelled", "annulée"
        FINISHED = "finished", "terminée"

    ACTION_MIN_LENGTH = 10
    ACTION_MAX_LENGTH = 200
    OBJECTIVE_MAX = 1_000_000

    slug = models.SlugField(max_length=80, unique=True, editable=False)
    # The short link for posters, SMS and the picture to post (/p/<code>/): random, so that
    # the codes cannot be walked through to list the promises (promises.sharing).
    short_code = models.CharField(
        "code court", max_length=12, unique=True, editable=False, default=short_code_new
    )
    action = models.CharField(
        "je promets de…",
        max_length=ACTION_MAX_LENGTH,
        help_text="La fin de la phrase « Je promets de … ».",
    )
    objective = models.PositiveIntegerField(
        "objectif", help_text="Nombre de personnes, en plus des initiateurs."
    )
    deadline = models.DateTimeField("date limite pour atteindre l'objectif")
    # The action: one day (action_date alone), or a period (action_date to action_end_date),
    # on one day of each week of it (action_weekday: the calendar file repeats it), with
    # free words for the rest ("de 9 h à 12 h", "un samedi sur deux").
    action_date = models.DateField("date de l'action (début)", null=True, blank=True)
    action_end_date = models.DateField("fin de l'action", null=True, blank=True)
    action_weekday = models.PositiveSmallIntegerField(
        "chaque semaine, le",
        choices=Weekday,
        null=True,
        blank=True,
        help_text="Pour une action sur une période, qui a lieu ce jour-là chaque semaine.",
    )
    action_schedule = models.CharField(
        "rythme de l'action",
        max_length=100,
        blank=True,
        help_text="En quelques mots, par exemple « de 9 h à 12 h » ou « un samedi sur deux ».",
    )
    description = models.TextField("description")
    themes = models.ManyToManyField(Theme, related_name="promises", verbose_name="thèmes")
    city = models.CharField("ville", max_length=100)

    class Visibility(models.TextChoices):
        PUBLIC = "public", "publique"
        MEMBERS = "membres", "réservée aux membres de l'organisation"

    class Duration(models.TextChoices):
        """How much time the action asks of each participant (the finder's question)."""

        HOUR = "heure", "une heure"
        HALF_DAY = "demi-journee", "une demi-journée"
        DAY = "journee", "une journée"
        REGULAR = "regulier", "régulièrement"
        DAILY = "quotidien", "un geste au quotidien"

    class Format(models.TextChoices):
        """Where the action happens (the finder's question)."""

        ON_SITE = "sur-place", "sur place"
        REMOTE = "a-distance", "à distance"
        AT_HOME = "chez-moi", "chez moi"

    duration = models.CharField(
        "temps demandé", max_length=12, choices=Duration, default=Duration.HALF_DAY
    )
    format = models.CharField("format", max_length=10, choices=Format, default=Format.ON_SITE)
    # The place: a commune of the official list (promises/places.py), or none for a promise
    # "à distance" and for an old city text the loader could not match (the admin lists
    # those). PROTECT: a commune is never deleted by the loader (one merged away stays, with
    # its coordinates), and deleting one by hand must not turn its promises into "à distance"
    # without anyone noticing.
    commune = models.ForeignKey(
        "Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name="commune",
    )
    meeting_point = models.CharField(
        "adresse ou point de rendez-vous",
        max_length=200,
        blank=True,
        help_text="Facultatif, par exemple « parking de la plage Centrale ».",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="started_promises",
        verbose_name="démarrée par",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    state = models.CharField("état", max_length=10, choices=State, default=State.OPEN)
    reached_at = models.DateTimeField("objectif atteint le", null=True, blank=True)
    failed_at = models.DateTimeField("échouée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    relaunched_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relaunches",
        verbose_name="relance de",
    )

    # Active, confirmed pledges of people other than the initiators. Kept in step with the
    # pledges by the services, in the same transaction, with F() expressions.
    pledge_count = models.PositiveIntegerField("promesses comptées", default=0)

    is_hidden = models.BooleanField("masquée par la modération", default=False)
    hidden_at = models.DateTimeField("masquée le", null=True, blank=True)

    # In an organisation's name (launched by one of its animateurs or admins): public, with
    # its badge, or for its members only (visible_to() decides).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name="pour l'organisation",
    )
    visibility = models.CharField(
        "visibilité", max_length=8, choices=Visibility, default=Visibility.PUBLIC
    )

    # One more at every change of what the promise's pages show: the promise's own row, and
    # the rows that hang from it (pledges, themes, news, bilan, posts, replies, the names of
    # the people in them). Postgres triggers bump it in the transaction that makes the change
    # (promises/migrations/0007, discussions/migrations/0002), whoever makes it: a service,
    # the admin, a bulk update. The page caches are keyed by it (promises/caching.py).
    version = models.PositiveBigIntegerField("version", default=1, editable=False)
    # What a search reads (promises/search.py): the sentence, the city and themes, the
    # description, stemmed in French without accents. Postgres triggers compute it
    # (promises/migrations/0010_search.py), whoever writes the promise or its themes; what
    # Django writes in it is recomputed.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = "promesse"
        verbose_name_plural = "promesses"
        ordering = ["-created_at"]
        indexes = [
            # Listings: visible promises of one state, newest first (home, /promesses/?etat=).
            models.Index(fields=["state", "-created_at"], name="promise_state_created"),
            # /promesses/: every listed promise, newest first.
            models.Index(
                F("created_at").desc(), name="promise_listed_created", condition=Q(is_hidden=False)
            ),
            # Home: open promises closest to their objective (selectors._closest_first).
            models.Index(
                (
                    Cast("pledge_count", models.FloatField())
                    / Cast("objective", models.FloatField())
                ).desc(),
                F("deadline").asc(),
                name="promise_open_closest",
                condition=Q(state="open", is_hidden=False),
            ),
            # The deadline sweep: open promises whose deadline has passed.
            models.Index(
                fields=["deadline"], name="promise_open_deadline", condition=Q(state="open")
            ),
            # /promesses/?q=: search_vector @@ promise_search_query(q) (promises/search.py).
            GinIndex(fields=["search_vector"], name="promise_search_vector"),
        ]
        constraints = [
            # For members only: of an organisation.
            models.CheckConstraint(
                condition=Q(visibility="public") | Q(organisation__isnull=False),
                name="promise_members_only_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(objective__gte=1) & Q(objective__lte=1_000_000),
                name="promise_objective_range",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.make_slug(self.action)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("promises:detail", kwargs={"slug": self.slug})

    @staticmethod
    def make_slug(action: str) -> str:
        # A short random suffix keeps slugs unique and unguessable from one another.
        base = slugify(action)[:60].strip("-") or "promesse"
        return f"{base}-{secrets.token_hex(3)}"

    # --- Wording ---------------------------------------------------------------------------

    @property
    def sentence(self) -> str:
        return text.sentence(self.action, self.objective)

    @property
    def condition(self) -> str:
        return text.condition(self.objective)

    @property
    def action_when(self) -> str:
        """'le samedi 8 juillet 2027', 'du 7 janvier au 30 juin 2027, un samedi sur deux', or
        with a day of the week, 'tous les mardis du 6 juillet au 28 septembre 2027, de 9 h à
        12 h'."""
        if not self.is_weekly:
            return text.action_period(self.action_date, self.action_end_date, self.action_schedule)
        # Plural of a French day name: one more s (lundis … dimanches).
        when = (
            f"tous les {self.get_action_weekday_display()}s "
            f"{text.action_period(self.action_first_day, self.action_end_date)}"
        )
        schedule = " ".join(self.action_schedule.split())
        return f"{when}, {schedule}" if schedule else when

    @property
    def is_weekly(self) -> bool:
        """The action happens on one day of each week of its period (action_weekday); a day of
        the week without a period, or with less than two such days, is one day."""
        first = self.action_first_day
        return (
            self.action_weekday is not None
            and first is not None
            and self.action_end_date is not None
            and first + datetime.timedelta(days=7) <= self.action_end_date
        )

    @property
    def action_first_day(self) -> datetime.date | None:
        """The first day the action happens: its start, or with a day of the week, the first
        such day from its start (the form makes them the same; older rows and the admin may
        not)."""
        if self.action_date is None or self.action_weekday is None:
            return self.action_date
        return self.action_date + datetime.timedelta(
            days=(self.action_weekday - self.action_date.weekday()) % 7
        )

    @property
    def action_last_day(self) -> datetime.date | None:
        return self.action_end_date or self.action_date

    @property
    def action_started(self) -> bool:
        """The action has begun (today in Europe/Paris is on or after its first day); with no
        date, it begins when the objective is reached."""
        if not self.objective_met:
            return False
        return self.action_date is None or timezone.localdate() >= self.action_date

    # --- State -----------------------------------------------------------------------------
    # The state groups, named once: the querysets filter on these tuples, the predicates below
    # test them.

    # Co-initiators may join and news may be posted while the promise lives.
    LIVE_STATES = (State.OPEN, State.REACHED)
    # The objective was met: the action happens, a bilan may be written.
    OBJECTIVE_MET_STATES = (State.REACHED, State.FINISHED)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def objective_met(self) -> bool:
        return self.state in self.OBJECTIVE_MET_STATES

    @property
    def is_reached(self) -> bool:
        return self.state == self.State.REACHED

    @property
    def deadline_passed(self) -> bool:
        return self.deadline <= timezone.now()

    @property
    def accepts_pledges(self) -> bool:
        """Pledges are taken while open (before the deadline), and on the way once reached."""
        if self.is_hidden:
            return False
        if self.is_open:
            return not self.deadline_passed
        return self.is_reached

    @property
    def members_only(self) -> bool:
        return self.visibility == Promise.Visibility.MEMBERS

    def terms_locked(self) -> bool:
        """The action, objective and deadline are fixed once someone other than the initiators
        has pledged, even unconfirmed: they pledged on those terms."""
        return (
            self.pledges.filter(is_initiator=False).exclude(status=Pledge.Status.WITHDRAWN).exists()
        )

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.pledge_count / self.objective)) if self.objective else 0

    @property
    def missing_count(self) -> int:
        return max(0, self.objective - self.pledge_count)


class PledgeQuerySet(models.QuerySet):
    """Who takes part, named once: every query of initiators or participants starts here."""

    def initiators(self) -> "PledgeQuerySet":
        """Those who lead the promise now (an initiator who left is withdrawn)."""
        return self.filter(Pledge.LEADS)

    def participants(self) -> "PledgeQuerySet":
        """The others taking part now: the pledges that make up Promise.pledge_count."""
        return self.filter(Pledge.TAKES_PART)

    def took_part(self) -> "PledgeQuerySet":
        """Participants still active or who abandoned during the action: the bilan's
        audience, and its figures' base."""
        return self.filter(Pledge.TOOK_PART)

    def at_reach(self) -> "PledgeQuerySet":
        """Pledges counted when the objective was reached (initiators included), as decided
        under the promise lock (Pledge.joined_late): the audience of "Objectif atteint", and
        the bilan's "au moment de l'objectif"."""
        return self.filter(joined_late=False)

    def on_the_way(self) -> "PledgeQuerySet":
        """Pledges that started to count after the objective was reached: each one is
        welcomed personally ("Bienvenue") instead, and counted apart in the bilan."""
        return self.filter(joined_late=True)

    def brought_by(self, pledge: "Pledge") -> "PledgeQuerySet":
        """The people a participant's share link brought, as the page tells them and the
        dashboard and the bilan count them: pledges made through it (one hop), confirmed and
        not withdrawn (Pledge.CREDITED)."""
        return self.filter(Pledge.CREDITED, referred_by=pledge)

    def kept(self) -> "PledgeQuerySet":
        """Participants who said "J'ai tenu ma promesse" (abandoners who had said it first
        included): the one count shown on the promise page and in the bilan's figures."""
        return self.took_part().filter(kept_at__isnull=False)

    def reachable(self) -> "PledgeQuerySet":
        """Pledges whose owner may still see their promise: on a promise for an organisation's
        members only, those of its members (someone who left keeps an abandoned pledge, but
        no longer hears of it). Where the email kinds pick their recipients, and the
        dashboard its promises."""
        member = Membership.objects.filter(
            organisation=OuterRef("promise__organisation_id"), user=OuterRef("user_id")
        )
        return self.filter(Q(promise__visibility=Promise.Visibility.PUBLIC) | Exists(member))


class Pledge(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "en attente de confirmation de l'e-mail"
        ACTIVE = "active", "active"
        WITHDRAWN = "withdrawn", "retirée"
        ABANDONED = "abandoned", "abandonnée"

    class Source(models.TextChoices):
        DIRECT = "", "directement"
        LINK = "lien", "le lien d'un participant"
        WIDGET = "widget", "le widget"
        POSTER = "affiche", "une affiche"
        FLYER = "flyer", "un flyer"

    # Who takes part, as conditions (PledgeQuerySet's methods, and the aggregates of
    # promises.figures): leading the promise now; taking part now, counted in the objective;
    # took part in the action, still active or abandoned since.
    LEADS = Q(status=Status.ACTIVE, is_initiator=True)
    TAKES_PART = Q(status=Status.ACTIVE, is_initiator=False)
    TOOK_PART = Q(is_initiator=False, status__in=[Status.ACTIVE, Status.ABANDONED])
    # Brought by someone's share link, and counted for them: a pledge of someone who took part
    # (confirmed, not withdrawn), made through that link.
    CREDITED = TOOK_PART & Q(referred_by__isnull=False)

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="pledges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledges"
    )
    is_initiator = models.BooleanField("initiateur", default=False)
    status = models.CharField("statut", max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField("promis le", default=timezone.now)
    # When the pledge started to count (email confirmed).
    activated_at = models.DateTimeField("comptée depuis", null=True, blank=True)
    # Joined "en cours de route": the objective was already reached when this pledge started
    # to count. Decided once, by start_counting(), under the promise lock that serialises the
    # pledges and the transition, and stored, rather than derived from activated_at >
    # reached_at: those two come from timezone.now() in whichever processes ran the two
    # transactions, whose clocks need not agree (nor tick between two calls under a frozen
    # clock), and Postgres's now() would be one clock but the *start* of each transaction,
    # so a pledge whose transaction began before the transition's, then waited on the lock,
    # would look early. The lock orders them exactly; the flag keeps that order, so the
    # "reached" audience, the welcome and the bilan read one answer, at any time.
    joined_late = models.BooleanField("en cours de route", default=False)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    abandoned_at = models.DateTimeField("abandonnée le", null=True, blank=True)
    abandon_reason = models.TextField("raison de l'abandon", blank=True, max_length=1000)
    # "J'ai tenu ma promesse", said once by the participant.
    kept_at = models.DateTimeField("promesse tenue le", null=True, blank=True)
    # Sharing (promises.sharing): this participant's link (/p/<code>/<share_token>/); where
    # this pledge came from, decided once, when the pledge row is created; and, for a pledge
    # made through someone's link, that person's pledge (one hop: who shared, not who shared
    # to them).
    share_token = models.CharField(
        "jeton de partage", max_length=16, unique=True, editable=False, default=share_token_new
    )
    source = models.CharField(
        "venu par", max_length=10, choices=Source, default=Source.DIRECT, blank=True
    )
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="venu par le lien de",
    )

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = "promesse de participant"
        verbose_name_plural = "promesses des participants"
        constraints = [
            # One pledge per person and promise: a second click or a concurrent request can
            # never count someone twice.
            models.UniqueConstraint(fields=["promise", "user"], name="pledge_unique_per_user"),
        ]
        indexes = [
            # The participant list of a promise page (selectors.promise_participants): active
            # pledges, newest first, in the query's own order, id included, so that Postgres
            # reads the first page from the index instead of sorting every pledge.
            models.Index(
                fields=["promise", "status", "-activated_at", "-id"],
                name="pledge_participants_newest",
            ),
            # The kept promises of a promise (PledgeQuerySet.kept, on its page and in the
            # bilan): the few pledges that said so, not every pledge of a large promise.
            models.Index(
                fields=["promise"], condition=Q(kept_at__isnull=False), name="pledge_kept"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.promise_id} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def start_counting(self, *, promise: Promise, now: datetime.datetime) -> None:
        """The pledge counts from now. `promise` is the row read under the promise lock, and
        the caller saves within that lock: counted while the promise is still open, the pledge
        is one of those who reach the objective (or the very one, if it reaches it in this
        transaction); counted once the transition has committed, it joins on the way.
        Decided again at each activation: someone who abandons, then pledges again after the
        objective was reached, rejoins on the way (and is welcomed as such)."""
        self.status = self.Status.ACTIVE
        self.activated_at = now
        self.joined_late = promise.is_reached


class Recap(models.Model):
    """The bilan: the initiators' text; the figures beside it are computed (promises.figures).
    Publishing it finishes the promise."""

    promise = models.OneToOneField(Promise, on_delete=models.CASCADE, related_name="recap")
    text = models.TextField("bilan", max_length=20_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="écrit par",
    )
    created_at = models.DateTimeField("écrit le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"

    def __str__(self) -> str:
        return f"Bilan — {self.promise}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Update(models.Model):
    """Nouvelles: news from the initiators to every participant."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    text = models.TextField("nouvelle", max_length=5000)
    photo = models.ImageField("photo", upload_to="nouvelles/%Y/%m/", blank=True)
    thumbnail = models.ImageField("vignette", upload_to="nouvelles/%Y/%m/", blank=True)
    created_at = models.DateTimeField("publiée le", default=timezone.now)
    # At most one update per promise and day is emailed; the others are only on the page.
    emailed = models.BooleanField("envoyée par e-mail", default=False)

    class Meta:
        verbose_name = "nouvelle"
        verbose_name_plural = "nouvelles"
        indexes = [
            # The news of a promise page, newest first; the once-a-day email check.
            models.Index(fields=["promise", "-created_at"], name="update_promise_created"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Invitation(models.Model):
    """An initiator invites someone by email to co-lead the promise."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail")
    # The secret of the link in the email; never shown elsewhere.
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="invité par",
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="acceptée par",
    )

    class Meta:
        verbose_name = "invitation à co-initier"
        verbose_name_plural = "invitations à co-initier"
        constraints = [
            # One pending invitation per address and promise.
            models.UniqueConstraint(
                fields=["promise", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.promise_id}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


# --- Places ---------------------------------------------------------------------------------


class Commune(models.Model):
    """A French commune, from Etalab's official list and geo.api.gouv.fr's centres, loaded
    (and reloaded) by `manage.py load_communes`; promises/places.py holds the queries."""

    insee = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    # Lowercase, unaccented, punctuation as spaces (places.normalise): what a search and the
    # loader's matching compare, so that "st etienne" finds "Saint-Étienne".
    search_name = models.CharField("nom normalisé", max_length=100, editable=False)
    postcodes = ArrayField(models.CharField(max_length=5), verbose_name="codes postaux")
    departement = models.CharField("département", max_length=3)
    population = models.PositiveIntegerField("population", default=0)
    # The commune's centre. None for the few the source gives no centre (some communes of the
    # Pacific): they can be chosen, and are left out of distance results like "à distance".
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name", "insee"]
        indexes = [
            # Près de chez moi: earth_box(…) @> ll_to_earth(latitude, longitude), the radius
            # filter of places.near() (earthdistance; the expression must stay the same).
            GistIndex(
                Func(F("latitude"), F("longitude"), function="ll_to_earth"),
                name="commune_earth",
            ),
            # Suggestions and the form: names that start with what was typed (LIKE 'x%').
            models.Index(
                fields=["search_name"],
                opclasses=["varchar_pattern_ops"],
                name="commune_search_name",
            ),
            # A postcode typed instead of a name: postcodes @> ARRAY['40600'].
            GinIndex(fields=["postcodes"], name="commune_postcodes"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name and its first postcode, "Biscarrosse (40600)", as suggestions show it
        and as the form reads it back."""
        return f"{self.name} ({self.postcodes[0]})" if self.postcodes else self.name


class Alert(models.Model):
    """A saved search, "Prévenez-moi" (promises.alerts): the filters of /promesses/ as its query
    string, so that one builder finds its promises (selectors.promises_search), and the time up
    to which its new promises were taken into a digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    query = models.CharField("recherche", max_length=500)
    label = models.CharField("intitulé", max_length=300)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    checked_until = models.DateTimeField("promesses vues jusqu'au", default=timezone.now)

    class Meta:
        verbose_name = "alerte"
        verbose_name_plural = "alertes"
        constraints = [
            models.UniqueConstraint(fields=["user", "query"], name="alert_once_per_search"),
        ]

    def __str__(self) -> str:
        return self.label


# --- Sponsors' commitments ------------------------------------------------------------------


class CommitmentQuerySet(models.QuerySet):
    def live(self) -> "CommitmentQuerySet":
        """Proposed or accepted: at most one per organisation and promise."""
        return self.filter(state__in=Commitment.LIVE_STATES)

    def shown(self) -> "CommitmentQuerySet":
        """What a promise's pages show to everyone: accepted, by an organisation neither
        deactivated nor hidden by the moderators."""
        return self.filter(
            state=Commitment.State.ACCEPTED,
            organisation__is_active=True,
            organisation__is_hidden=False,
        )


class Commitment(models.Model):
    """A sponsor's commitment (promises.commitments): an organisation backs a public promise
    with something of its own if the objective is reached, "Si l'objectif est atteint, ACME
    plante un arbre par participant". Only declared and displayed: OnPromet takes no payment.
    Proposed by an admin of the organisation, accepted or refused by the initiators; withdrawn
    by an admin of the organisation until the objective is reached. Any change of a row bumps
    its promise's version (trigger of promises/migrations/0016)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "proposé"
        ACCEPTED = "accepted", "accepté"
        REFUSED = "refused", "refusé"
        WITHDRAWN = "withdrawn", "retiré"

    LIVE_STATES = (State.PROPOSED, State.ACCEPTED)
    TEXT_MAX_LENGTH = 200

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name="organisation",
    )
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="commitments", verbose_name="promesse"
    )
    text = models.CharField(
        "engagement",
        max_length=TEXT_MAX_LENGTH,
        help_text="La suite de « Si l'objectif est atteint, <organisation> … », par exemple "
        "« plante un arbre par participant ».",
    )
    # Optional: what it comes to per participant counted when the objective is reached (the
    # bilan multiplies), in `unit` (empty: euros), and at most `cap` in all.
    amount = models.DecimalField(
        "quantité par participant", max_digits=9, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        "unité",
        max_length=30,
        blank=True,
        help_text="Au singulier, par exemple « arbre » ; vide : des euros.",
    )
    cap = models.DecimalField("plafond", max_digits=12, decimal_places=2, null=True, blank=True)
    state = models.CharField("état", max_length=10, choices=State, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="proposé par",
    )
    proposed_at = models.DateTimeField("proposé le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accepté ou refusé par",
    )
    decided_at = models.DateTimeField("accepté ou refusé le", null=True, blank=True)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement d'une organisation"
        verbose_name_plural = "engagements d'organisations"
        ordering = ["proposed_at", "pk"]
        constraints = [
            # One live commitment per organisation and promise: a second proposal, or two at
            # once, fails here (commitment_propose turns it into a Refusal).
            models.UniqueConstraint(
                fields=["organisation", "promise"],
                condition=Q(state__in=["proposed", "accepted"]),
                name="commitment_live_once",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="commitment_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gt=0), name="commitment_cap_positive"
            ),
        ]
        indexes = [
            # The promise page, the reached email and the bilan: a promise's commitments of
            # one state (promises.commitments.page_commitments, shown()).
            models.Index(fields=["promise", "state"], name="commitment_promise_state"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} : {self.text}"

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    def comes_to(self, participants: int):
        """What it comes to for this many participants: amount × participants, at most the
        cap; None without an amount (a cap alone is only "jusqu'à")."""
        if self.amount is None:
            return None
        total = self.amount * participants
        return min(total, self.cap) if self.cap is not None else total
