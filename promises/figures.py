"""The figures of a promise's bilan, computed by the platform (never typed by the initiators).

Who is counted: the *participants* are the people other than the initiators whose pledge
counted at some point and was not withdrawn, i.e. active or abandoned pledges. Withdrawn
pledges (before the objective was reached) and pledges still waiting for an email confirmation
are not participants. Every share is a share of the participants, so "au moment de l'objectif"
and "en cours de route" add up to 100 %.

Everything is computed with aggregates (COUNT … FILTER (WHERE …)) grouped by promise: the
number of queries does not depend on the number of participants, nor, for the dashboard, on
the number of promises.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import User
from onpromet.french import elide_de, french_spacing
from organisations.models import Membership

from .models import Pledge, Promise

# Who posted a photo of the action is known by the app that holds the photos, above this one:
# discussions gives, from its AppConfig.ready(), a function of (promise id, user id)
# expressions that returns the matching photo posts. Without it, nobody posted a photo.
PhotoProof = Callable[[OuterRef, OuterRef], QuerySet]
_photo_proof: list[PhotoProof] = []


def photo_proof_register(proof: PhotoProof) -> None:
    _photo_proof[:] = [proof]


def _posted_photo() -> Q:
    if not _photo_proof:
        return Q(pk__in=[])
    return Q(Exists(_photo_proof[0](OuterRef("promise_id"), OuterRef("user_id"))))


@dataclass(frozen=True)
class Figures:
    promise: Promise
    initiators: int
    participants: int  # active or abandoned pledges of non-initiators: the base of every share
    at_reached: int | None  # counted when the objective was reached (None: not reached)
    joined_late: int  # counted after the objective was reached ("en cours de route")
    posted_photo: int  # posted at least one photo in the discussion (visible posts)
    kept: int  # said "J'ai tenu ma promesse"
    abandoned: int
    brought: int  # came through a participant's share link (Pledge.CREDITED)
    # Counted pledges at the end of each day (Europe/Paris), from the day the promise was
    # created to today or the day it closed: the line of the chart.
    series: list[tuple[datetime.date, int]] = field(default_factory=list)

    def share(self, count: int | None) -> int | None:
        """A share of the participants, in whole percents."""
        if count is None or not self.participants:
            return None
        return round(100 * count / self.participants)

    @property
    def at_reached_share(self) -> int | None:
        return self.share(self.at_reached)

    @property
    def joined_late_share(self) -> int | None:
        return self.share(self.joined_late)

    @property
    def posted_photo_share(self) -> int | None:
        return self.share(self.posted_photo)

    @property
    def kept_share(self) -> int | None:
        return self.share(self.kept)

    @property
    def abandoned_share(self) -> int | None:
        return self.share(self.abandoned)

    @property
    def brought_share(self) -> int | None:
        return self.share(self.brought)

    @property
    def counted(self) -> int:
        """Counted today: the last point of the series (equals promise.pledge_count)."""
        return self.series[-1][1] if self.series else 0


def _series_end(promise: Promise, today: datetime.date) -> datetime.date:
    """The last day of the line: the day the promise closed, else today."""
    closed = {
        Promise.State.FAILED: promise.failed_at,
        Promise.State.CANCELLED: promise.cancelled_at,
        Promise.State.FINISHED: promise.finished_at,
    }.get(promise.state)
    end = timezone.localdate(closed) if closed else today
    return max(end, timezone.localdate(promise.created_at))


def promises_figures(promises: Iterable[Promise]) -> dict[int, Figures]:
    """The figures of several promises in three queries, whatever their number and size: one
    aggregate grouped by promise for the counts (the photo posters through an EXISTS inside
    it), and two grouped by promise and day (pledges in, pledges out) for the series."""
    promises = {promise.pk: promise for promise in promises}
    if not promises:
        return {}
    others = Pledge.objects.filter(promise_id__in=promises, is_initiator=False)
    took_part = Pledge.TOOK_PART
    rows = (
        Pledge.objects.filter(promise_id__in=promises)
        .values("promise_id")
        .annotate(
            initiators=Count("pk", filter=Pledge.LEADS),
            participants=Count("pk", filter=took_part),
            # The flag decided under the promise lock (Pledge.joined_late), the one the
            # "Objectif atteint" and "Bienvenue" emails follow: the bilan counts the same people.
            at_reached=Count("pk", filter=took_part & Q(joined_late=False)),
            joined_late=Count("pk", filter=took_part & Q(joined_late=True)),
            posted_photo=Count("pk", filter=took_part & _posted_photo()),
            kept=Count("pk", filter=took_part & Q(kept_at__isnull=False)),
            abandoned=Count("pk", filter=took_part & Q(status=Pledge.Status.ABANDONED)),
            brought=Count("pk", filter=Pledge.CREDITED),
        )
        .order_by()
    )
    counts = {row.pop("promise_id"): row for row in rows}

    # The series: +1 on the day a pledge started to count, -1 on the day it stopped
    # (withdrawn before the objective, or abandoned after). A withdrawn pledge that never
    # counted (its address was confirmed too late) has no activation and is left out.
    moves: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    ins = (
        others.filter(activated_at__isnull=False)
        .annotate(day=TruncDate("activated_at"))
        .values("promise_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    outs = (
        others.filter(
            activated_at__isnull=False,
            status__in=[Pledge.Status.WITHDRAWN, Pledge.Status.ABANDONED],
        )
        .annotate(day=TruncDate(Coalesce("withdrawn_at", "abandoned_at")))
        .values("promise_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in ins:
        moves[row["promise_id"]][row["day"]] += row["n"]
    for row in outs:
        if row["day"] is not None:
            moves[row["promise_id"]][row["day"]] -= row["n"]

    today = timezone.localdate()
    figures = {}
    for pk, promise in promises.items():
        row = counts.get(pk, {})
        reached = promise.reached_at is not None
        series, total = [], 0
        day = timezone.localdate(promise.created_at)
        end = _series_end(promise, today)
        promise_moves = moves.get(pk, {})
        # Moves dated before the creation day (data moved by hand) still count on day one.
        total = sum(n for d, n in promise_moves.items() if d < day)
        while day <= end:
            total += promise_moves.get(day, 0)
            series.append((day, total))
            day += datetime.timedelta(days=1)
        figures[pk] = Figures(
            promise=promise,
            initiators=row.get("initiators", 0),
            participants=row.get("participants", 0),
            at_reached=row.get("at_reached", 0) if reached else None,
            joined_late=row.get("joined_late", 0),
            posted_photo=row.get("posted_photo", 0),
            kept=row.get("kept", 0),
            abandoned=row.get("abandoned", 0),
            brought=row.get("brought", 0),
            series=series,
        )
    return figures


def promise_figures(promise: Promise) -> Figures:
    """The figures of one promise (the bilan page)."""
    return promises_figures([promise])[promise.pk]


def abandon_reasons(promises: Iterable[Promise]) -> dict[int, list[str]]:
    """The reasons given for abandoning, per promise, oldest first, without names or dates:
    initiators read them anonymously. One query for all the promises."""
    reasons: dict[int, list[str]] = {promise.pk: [] for promise in promises}
    rows = (
        Pledge.objects.filter(
            promise_id__in=reasons, is_initiator=False, status=Pledge.Status.ABANDONED
        )
        .exclude(abandon_reason="")
        .order_by("abandoned_at", "pk")
        .values_list("promise_id", "abandon_reason")
    )
    for promise_id, reason in rows:
        reasons[promise_id].append(reason)
    return reasons


@dataclass(frozen=True)
class Source:
    """Where some of a promise's participants came from, for its initiators' dashboard."""

    label: str  # "Directement", "Le lien de Chloé", "Le lien d'Anonyme", "Le widget"…
    count: int


def pledge_sources(promises: Iterable[Promise]) -> dict[int, list[Source]]:
    """Where the participants (as the figures count them) of each promise came from: directly,
    through each sharer's link (by their public name), the widget, a poster, a flyer. Direct
    first, then the sharers, most first, then the rest. One query for all the promises."""
    sources: dict[int, list[Source]] = {promise.pk: [] for promise in promises}
    rows = (
        Pledge.objects.filter(Pledge.TOOK_PART, promise_id__in=sources)
        .values(
            "promise_id",
            "source",
            "referred_by__user_id",
            "referred_by__user__display_name",
            "referred_by__user__appears_anonymously",
            "referred_by__user__deleted_at",
        )
        .annotate(n=Count("pk"))
        .order_by("promise_id", "-n", "referred_by__user_id")
    )
    order = {value: rank for rank, value in enumerate(Pledge.Source.values)}
    labels = {
        Pledge.Source.DIRECT: "Directement",
        Pledge.Source.LINK: "Le lien d'un participant parti",  # their account was deleted
        Pledge.Source.WIDGET: "Le widget",
        Pledge.Source.POSTER: "Une affiche",
        Pledge.Source.FLYER: "Un flyer",
    }
    ranked: dict[int, list[tuple[int, Source]]] = defaultdict(list)
    for row in rows:
        if row["source"] == Pledge.Source.LINK and row["referred_by__user_id"] is not None:
            # An unsaved User, for the public name's one rule (User.public_name).
            sharer = User(
                display_name=row["referred_by__user__display_name"],
                appears_anonymously=row["referred_by__user__appears_anonymously"],
                deleted_at=row["referred_by__user__deleted_at"],
            )
            label = french_spacing(f"Le lien {elide_de(sharer.public_name)}")
        else:
            label = labels.get(row["source"], labels[Pledge.Source.DIRECT])
        ranked[row["promise_id"]].append((order.get(row["source"], 0), Source(label, row["n"])))
    for promise_id, items in ranked.items():
        # Stable: within a kind, the query's order (most first) stays.
        sources[promise_id] = [source for _, source in sorted(items, key=lambda item: item[0])]
    return sources


# --- A set of promises: an organisation's page and its impact report -----------------------


@dataclass(frozen=True)
class Totals:
    """An organisation's figures on its page, over the promises its visitor may see."""

    launched: int
    reached: int
    participants: int  # distinct people, initiators apart, as the bilan counts them
    kept: int  # participants who said "J'ai tenu ma promesse"


def promises_totals(promises: QuerySet) -> Totals:
    """Two aggregates, whatever the number of promises and pledges: one over the promises,
    one over their pledges (a person in several promises is one participant)."""
    counts = promises.order_by().aggregate(
        launched=Count("pk"), reached=Count("pk", filter=Q(reached_at__isnull=False))
    )
    people = Pledge.objects.filter(
        Pledge.TOOK_PART, promise_id__in=promises.order_by().values("pk")
    ).aggregate(
        participants=Count("user_id", distinct=True),
        kept=Count("pk", filter=Q(kept_at__isnull=False)),
    )
    return Totals(**counts, **people)


@dataclass(frozen=True)
class ReportFigures:
    """The impact report's figures over a set of promises: each promise's bilan figures
    (Figures), their sums, and what cannot be summed (a person in several promises is one
    participant)."""

    per_promise: list[Figures]
    launched: int
    reached: int
    participants: int  # distinct people, initiators apart
    participants_members: int  # of whom members of the organisation today
    members: int  # the organisation's members today
    participations: int  # the sum of the promises' participants
    posted_photo: int
    kept: int
    joined_late: int
    abandoned: int
    # The counted pledges of all the promises at the end of each day of the period: a
    # promise adds nothing before its first day, and its last count after its line ends.
    series: list[tuple[datetime.date, int]] = field(default_factory=list)

    @property
    def members_share(self) -> int | None:
        """The share of the members who took part, in whole percents."""
        if not self.members:
            return None
        return round(100 * self.participants_members / self.members)

    def share(self, count: int) -> int | None:
        """A share of the participations (the bilan's base, summed)."""
        if not self.participations:
            return None
        return round(100 * count / self.participations)

    @property
    def kept_share(self) -> int | None:
        return self.share(self.kept)

    @property
    def posted_photo_share(self) -> int | None:
        return self.share(self.posted_photo)

    @property
    def joined_late_share(self) -> int | None:
        return self.share(self.joined_late)

    @property
    def abandoned_share(self) -> int | None:
        return self.share(self.abandoned)

    @property
    def counted(self) -> int:
        return self.series[-1][1] if self.series else 0


def report_figures(
    promises: Iterable[Promise], *, organisation, start: datetime.date, end: datetime.date
) -> ReportFigures:
    """The figures of an organisation's promises for its impact report, the chart's line from
    start to end (days in Europe/Paris, end at most today). Five queries whatever the number
    of promises: the bilan's three (promises_figures), the distinct participants, the
    members."""
    promises = list(promises)
    figures = promises_figures(promises)
    per_promise = [figures[promise.pk] for promise in promises]
    people = Pledge.objects.filter(
        Pledge.TOOK_PART, promise_id__in=[promise.pk for promise in promises]
    ).aggregate(
        participants=Count("user_id", distinct=True),
        members=Count(
            "user_id",
            distinct=True,
            filter=Q(
                Exists(
                    Membership.objects.filter(organisation=organisation, user=OuterRef("user_id"))
                )
            ),
        ),
    )
    members = Membership.objects.filter(organisation=organisation).count()

    end = min(end, timezone.localdate())
    totals: dict[datetime.date, int] = defaultdict(int)
    for item in per_promise:
        if not item.series:
            continue
        values = dict(item.series)
        first_day, _ = item.series[0]
        last_day, last = item.series[-1]
        day = start
        while day <= end:
            if day > last_day:
                totals[day] += last
            elif day >= first_day:
                totals[day] += values[day]
            day += datetime.timedelta(days=1)
    series = []
    day = start
    while day <= end:
        series.append((day, totals[day]))
        day += datetime.timedelta(days=1)

    return ReportFigures(
        per_promise=per_promise,
        launched=len(per_promise),
        reached=sum(1 for item in per_promise if item.promise.reached_at is not None),
        participants=people["participants"],
        participants_members=people["members"],
        members=members,
        participations=sum(item.participants for item in per_promise),
        posted_photo=sum(item.posted_photo for item in per_promise),
        kept=sum(item.kept for item in per_promise),
        joined_late=sum(item.joined_late for item in per_promise),
        abandoned=sum(item.abandoned for item in per_promise),
        series=series,
    )
