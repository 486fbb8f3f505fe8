"""Will the objective be reached before the deadline, and around when? A forecast for the
initiators' dashboard, always stated with its uncertainty.

Method: pledges arrive like a Poisson process whose rate is estimated from the net growth of
the count over the last WINDOW_DAYS days (or since the launch, for a younger promise). The
rate's 90 % confidence interval (the exact Poisson interval, computed by bisection; Byar's
approximation for large counts) gives a range of dates: at the high rate the objective comes
soonest, at the low rate latest. Compared with the deadline, the range says "likely"
(all of it before), "unlikely" (all of it after) or "uncertain" (the deadline falls inside).
It assumes the pace holds, which the sentence says ("au rythme actuel").
"""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone

from onpromet.french import french_date, french_number, plural

from .figures import Figures
from .models import Promise

WINDOW_DAYS = 14
CONFIDENCE = 90  # percent, two-sided
_Z = 1.645  # the normal quantile of a two-sided 90 % interval (Byar's approximation)
EXACT_UP_TO = 200  # counts; above, the approximation is as good and much cheaper
_DAY = 86_400


class Kind:
    REACHED = "reached"
    CLOSED = "closed"  # failed or cancelled: nothing to forecast
    DEADLINE_PASSED = "deadline_passed"
    TOO_EARLY = "too_early"
    LIKELY = "likely"
    UNCERTAIN = "uncertain"
    UNLIKELY = "unlikely"


@dataclass(frozen=True)
class Forecast:
    kind: str
    sentence: str
    rate: float | None = None  # estimated pledges per day
    earliest: datetime.date | None = None
    latest: datetime.date | None = None  # None: no upper bound (no pledge in the window)


def _poisson_cdf(count: int, mean: float) -> float:
    """P(X <= count) for X ~ Poisson(mean), summed in log space (no overflow)."""
    if mean <= 0:
        return 1.0
    log_mean = math.log(mean)
    return sum(math.exp(-mean + k * log_mean - math.lgamma(k + 1)) for k in range(count + 1))


def _solve(f, low: float, high: float) -> float:
    """The root of a decreasing function on [low, high], by bisection."""
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if f(middle) > 0 else (low, middle)
    return (low + high) / 2


def poisson_interval(count: int) -> tuple[float, float]:
    """The exact (Garwood) 90 % confidence bounds of the mean of a Poisson variable observed
    as `count`; above EXACT_UP_TO, Byar's approximation, then within a fraction of a percent."""
    tail = (100 - CONFIDENCE) / 200  # 5 % on each side
    if count > EXACT_UP_TO:
        upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + _Z / (3 * math.sqrt(count + 1))) ** 3
        lower = count * (1 - 1 / (9 * count) - _Z / (3 * math.sqrt(count))) ** 3
        return lower, upper
    ceiling = count + 10 * math.sqrt(count + 1) + 10
    upper = _solve(lambda mean: _poisson_cdf(count, mean) - tail, count, ceiling)
    if count == 0:
        return 0.0, upper
    lower = _solve(lambda mean: _poisson_cdf(count - 1, mean) - (1 - tail), 0, count)
    return lower, upper


def _pace_text(rate: float) -> str:
    """'4 promesses par jour', '1,5 promesse par jour', '3 promesses par semaine'."""
    value, unit = (rate, "jour") if rate >= 1 else (rate * 7, "semaine")
    # Rounded as it is shown: a whole number from 10, one decimal below.
    rounded = round(value) if value >= 10 else round(value, 1)
    return f"{french_number(rounded)} {plural(rounded, 'promesse', 'promesses')} par {unit}"


def _range_text(earliest: datetime.date, latest: datetime.date, today: datetime.date) -> str:
    with_year = latest.year != today.year
    if earliest == latest:
        return f"vers le {french_date(latest, weekday=False, year=with_year)}"
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        first = french_date(earliest, weekday=False, month=False, year=False)
    else:
        first = french_date(earliest, weekday=False, year=earliest.year != latest.year)
    return f"entre le {first} et le {french_date(latest, weekday=False, year=with_year)}"


def _count_on(series: list[tuple[datetime.date, int]], day: datetime.date) -> int:
    """The count at the end of `day` (0 before the promise existed)."""
    count = 0
    for point_day, value in series:
        if point_day > day:
            break
        count = value
    return count


def promise_forecast(figures: Figures, *, now: datetime.datetime | None = None) -> Forecast:
    """The forecast of one promise, from its figures (no query of its own)."""
    promise = figures.promise
    now = now or timezone.now()
    if promise.reached_at or promise.objective_met:
        reached = timezone.localdate(promise.reached_at) if promise.reached_at else None
        when = f" le {french_date(reached, weekday=False, year=False)}" if reached else ""
        return Forecast(Kind.REACHED, f"L'objectif est atteint{when}.")
    if promise.state != Promise.State.OPEN:
        return Forecast(Kind.CLOSED, "")
    deadline_day = french_date(timezone.localdate(promise.deadline), weekday=False, year=False)
    if promise.deadline <= now:
        return Forecast(Kind.DEADLINE_PASSED, "La date limite est passée.")
    remaining = promise.objective - promise.pledge_count
    if remaining <= 0:
        return Forecast(Kind.REACHED, "L'objectif est atteint.")

    today = timezone.localdate(now)
    age_days = (now - promise.created_at).total_seconds() / _DAY
    if age_days < 1:
        return Forecast(
            Kind.TOO_EARLY,
            "Il est trop tôt pour estimer le rythme des promesses : revenez demain.",
        )
    if age_days >= WINDOW_DAYS:
        window_days = WINDOW_DAYS
        start_count = _count_on(figures.series, today - datetime.timedelta(days=WINDOW_DAYS))
        window_text = f"sur les {WINDOW_DAYS} derniers jours"
    else:
        window_days = age_days
        start_count = 0
        elapsed = math.floor(age_days)
        window_text = f"depuis le lancement, il y a {elapsed} {plural(elapsed, 'jour', 'jours')}"
    count = max(0, promise.pledge_count - start_count)
    low, high = (bound / window_days for bound in poisson_interval(count))

    soonest = now + datetime.timedelta(days=remaining / high)
    # No pledge in the window: no upper bound (a century stands for "never").
    slowest = now + datetime.timedelta(days=min(remaining / low, 36_500) if low else 36_500)
    earliest, latest = timezone.localdate(soonest), timezone.localdate(slowest) if low else None
    soonest_after_deadline = soonest > promise.deadline

    if count == 0:
        if soonest_after_deadline:
            return Forecast(
                Kind.UNLIKELY,
                f"Aucune promesse {window_text} : à ce rythme, l'objectif ne serait "
                f"probablement pas atteint avant la date limite du {deadline_day}.",
                rate=0.0,
                earliest=earliest,
            )
        return Forecast(
            Kind.UNCERTAIN,
            f"Aucune promesse {window_text} : il en faut encore {remaining} d'ici "
            f"le {deadline_day}, c'est encore possible mais rien n'est joué.",
            rate=0.0,
            earliest=earliest,
        )

    rate = count / window_days
    pace = f"Au rythme actuel (≈ {_pace_text(rate)} {window_text})"
    if soonest_after_deadline:
        days_left = (promise.deadline - now).total_seconds() / _DAY
        needed = _pace_text(remaining / days_left)
        return Forecast(
            Kind.UNLIKELY,
            f"{pace}, l'objectif ne serait probablement pas atteint avant la date limite du "
            f"{deadline_day} : il faudrait environ {needed}.",
            rate=rate,
            earliest=earliest,
            latest=latest,
        )
    span = _range_text(earliest, latest, today)
    if slowest <= promise.deadline:
        return Forecast(
            Kind.LIKELY,
            f"{pace}, l'objectif serait atteint {span}, avant la date limite.",
            rate=rate,
            earliest=earliest,
            latest=latest,
        )
    return Forecast(
        Kind.UNCERTAIN,
        f"{pace}, l'objectif serait atteint {span} : la date limite, le {deadline_day}, "
        "tombe dans cette fourchette, rien n'est joué.",
        rate=rate,
        earliest=earliest,
        latest=latest,
    )
