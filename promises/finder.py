"""The action finder (/agir/): "what can I do, on what I care about, with the time I have,
near me?". Its answers narrow the same query as /promesses/ (selectors.promises_search,
which /promesses/ also narrows with them), and its results come first where one more person
matters most (selectors.finder_results).

The ranking, in SQL: first the promises whose objective is still reachable at their pace so
far (their pledges per day since they were launched, kept up until the deadline), then the
fewest people missing, then the nearest deadline. A promise that needs 3 more people and gets
one a day is where a click counts; one that needs 400 in two days is not, yet.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Extract, Greatest

from onpromet.french import french_number, plural

from .models import Promise

DAY_SECONDS = 86_400.0


class Timing:
    """The finder's "Quand ?" answers: a window of days, from today."""

    WEEK = "semaine"
    WEEKEND = "week-end"
    MONTH = "mois"
    ANY = ""
    CHOICES = [
        (WEEK, "cette semaine"),
        (WEEKEND, "ce week-end"),
        (MONTH, "ce mois-ci"),
        (ANY, "peu importe"),
    ]


def window(when: str, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The days an answer to "Quand ?" covers, today included; None for "peu importe"."""
    if when == Timing.WEEK:
        return today, today + datetime.timedelta(days=6 - today.weekday())
    if when == Timing.WEEKEND:
        saturday = today + datetime.timedelta(days=max(0, 5 - today.weekday()))
        return saturday, today + datetime.timedelta(days=6 - today.weekday())
    if when == Timing.MONTH:
        next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return today, next_month - datetime.timedelta(days=1)
    return None


@dataclass(frozen=True)
class Answers:
    themes: tuple = ()  # Theme rows
    durations: tuple[str, ...] = ()  # Promise.Duration values
    formats: tuple[str, ...] = ()  # Promise.Format values
    when: str = Timing.ANY  # a Timing value

    @property
    def given(self) -> bool:
        return bool(self.themes or self.durations or self.formats or self.when)


def narrow(promises: QuerySet, answers: Answers, *, today: datetime.date) -> QuerySet:
    """The promises that fit the answers. Any of the chosen themes; any of the chosen
    durations and formats; for "Quand ?", an action on a day of the window (a period that
    overlaps it), or an action with no date yet (a gesture one can make any day)."""
    if answers.themes:
        through = Promise.themes.through.objects.filter(
            promise_id=OuterRef("pk"), theme__in=answers.themes
        )
        promises = promises.filter(Exists(through))
    if answers.durations:
        promises = promises.filter(duration__in=answers.durations)
    if answers.formats:
        promises = promises.filter(format__in=answers.formats)
    days = window(answers.when, today)
    if days is not None:
        start, end = days
        dated = Q(action_date__lte=end) & (
            Q(action_end_date__gte=start) | Q(action_end_date__isnull=True, action_date__gte=start)
        )
        promises = promises.filter(dated | Q(action_date__isnull=True))
    return promises


def ranked(promises: QuerySet, *, now: datetime.datetime) -> QuerySet:
    """Open promises still taking pledges, where one more person matters most first."""
    elapsed = Greatest(
        Extract(
            ExpressionWrapper(Value(now) - F("created_at"), output_field=DurationField()), "epoch"
        )
        / DAY_SECONDS,
        Value(1.0),
    )
    left = Extract(
        ExpressionWrapper(F("deadline") - Value(now), output_field=DurationField()), "epoch"
    ) / Value(DAY_SECONDS)
    count = Cast("pledge_count", FloatField())
    projected = count + count / elapsed * left
    return (
        promises.filter(state=Promise.State.OPEN, deadline__gt=now)
        .annotate(
            missing=F("objective") - F("pledge_count"),
            reachable=Case(When(Q(objective__lte=projected), then=Value(1)), default=Value(0)),
        )
        .order_by("-reachable", "missing", "deadline", "pk")
    )


def reasons(promise: Promise) -> list[str]:
    """Why a result is suggested, in a few words: "Plus que 3 personnes", "à 2 km",
    "une demi-journée", "à distance"."""
    said = []
    missing = promise.missing_count
    if missing:
        said.append(f"Plus que {french_number(missing)} {plural(missing, 'personne', 'personnes')}")
    distance = getattr(promise, "distance_label", None)  # selectors.cards(), near a place
    if distance:
        said.append(distance)
    said.append(promise.get_duration_display())
    said.append(promise.get_format_display())
    return said
