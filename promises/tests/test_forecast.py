"""promises.forecast: from the pace of pledges, will the objective be reached before the
deadline, and around when? Always with its uncertainty (a 90 % range of dates)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from promises.figures import Figures, promise_figures
from promises.forecast import EXACT_UP_TO, Kind, poisson_interval, promise_forecast
from promises.models import Promise
from promises.tests import scenarios

NOW = scenarios.paris(1, month=3)  # Sunday 1 March 2026, noon in Paris


def figures_of(*, objective, count, count_14_days_ago, created_days_ago=28, deadline=None):
    """An open promise: `count_14_days_ago` pledges at the end of 15 February, `count` now."""
    created = NOW - datetime.timedelta(days=created_days_ago)
    promise = Promise(
        objective=objective,
        pledge_count=count,
        created_at=created,
        deadline=deadline or scenarios.paris(31, 23),
        state=Promise.State.OPEN,
    )
    today = timezone.localdate(NOW)
    series, day = [], timezone.localdate(created)
    while day <= today:
        series.append((day, count if day == today else count_14_days_ago))
        day += datetime.timedelta(days=1)
    return Figures(
        promise=promise,
        initiators=1,
        participants=count,
        at_reached=None,
        joined_late=0,
        posted_photo=0,
        kept=0,
        abandoned=0,
        brought=0,
        series=series,
    )


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_foresees_the_objective_reached_at_a_fast_pace():
    # 56 pledges in 14 days (4 a day); 20 to go, a month left.
    forecast = promise_forecast(figures_of(objective=100, count=80, count_14_days_ago=24))

    assert forecast.kind == Kind.LIKELY
    assert forecast.rate == 4
    assert (forecast.earliest, forecast.latest) == (
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 7),
    )
    assert forecast.sentence == (
        "Au rythme actuel (≈ 4 promesses par jour sur les 14 derniers jours), l'objectif "
        "serait atteint entre le 5 et le 7 mars, avant la date limite."
    )


def test_it_says_a_slow_pace_would_probably_not_be_enough():
    # 7 pledges in 14 days (3.5 a week); 40 to go in 30 days.
    forecast = promise_forecast(figures_of(objective=100, count=60, count_14_days_ago=53))

    assert forecast.kind == Kind.UNLIKELY
    assert forecast.sentence == (
        "Au rythme actuel (≈ 3,5 promesses par semaine sur les 14 derniers jours), l'objectif "
        "ne serait probablement pas atteint avant la date limite du 31 mars : il faudrait "
        "environ 1,3 promesse par jour."
    )


def test_it_says_nothing_is_decided_when_the_deadline_falls_in_the_range():
    # 7 pledges in 14 days; 20 to go in 30 days: between the 22 March and May.
    forecast = promise_forecast(figures_of(objective=100, count=80, count_14_days_ago=73))

    assert forecast.kind == Kind.UNCERTAIN
    assert forecast.earliest < datetime.date(2026, 3, 31) < forecast.latest
    assert forecast.sentence.startswith(
        "Au rythme actuel (≈ 3,5 promesses par semaine sur les 14 derniers jours), l'objectif "
        "serait atteint entre le 22 mars et le "
    )
    assert forecast.sentence.endswith(
        " : la date limite, le 31 mars, tombe dans cette fourchette, rien n'est joué."
    )


def test_it_foresees_nothing_good_without_pledges_for_two_weeks():
    forecast = promise_forecast(figures_of(objective=100, count=80, count_14_days_ago=80))

    assert forecast.kind == Kind.UNLIKELY
    assert forecast.rate == 0
    assert forecast.latest is None
    assert forecast.sentence == (
        "Aucune promesse sur les 14 derniers jours : à ce rythme, l'objectif ne serait "
        "probablement pas atteint avant la date limite du 31 mars."
    )


def test_it_keeps_hope_for_a_young_promise_without_pledges_yet():
    forecast = promise_forecast(
        figures_of(objective=5, count=0, count_14_days_ago=0, created_days_ago=3)
    )

    assert forecast.kind == Kind.UNCERTAIN
    assert forecast.sentence == (
        "Aucune promesse depuis le lancement, il y a 3 jours : il en faut encore 5 d'ici le "
        "31 mars, c'est encore possible mais rien n'est joué."
    )


def test_it_measures_the_pace_since_the_launch_of_a_young_promise():
    forecast = promise_forecast(
        figures_of(objective=30, count=12, count_14_days_ago=0, created_days_ago=4)
    )

    assert forecast.kind == Kind.LIKELY
    assert forecast.rate == 3
    assert forecast.sentence.startswith(
        "Au rythme actuel (≈ 3 promesses par jour depuis le lancement, il y a 4 jours), "
        "l'objectif serait atteint entre le "
    )


def test_it_waits_a_day_before_estimating_a_pace():
    figures = figures_of(objective=5, count=2, count_14_days_ago=0, created_days_ago=0)
    figures.promise.created_at = NOW - datetime.timedelta(hours=3)

    forecast = promise_forecast(figures)

    assert forecast.kind == Kind.TOO_EARLY
    assert "trop tôt" in forecast.sentence


def test_it_says_when_the_deadline_has_passed():
    figures = figures_of(
        objective=5, count=2, count_14_days_ago=0, deadline=NOW - datetime.timedelta(hours=1)
    )

    assert promise_forecast(figures).kind == Kind.DEADLINE_PASSED


def test_it_says_an_objective_already_reached(initiator):
    story = scenarios.build(initiator)

    with time_machine.travel(scenarios.NOW, tick=False):
        forecast = promise_forecast(promise_figures(story.promise))

    assert forecast.kind == Kind.REACHED
    assert forecast.sentence == "L'objectif est atteint le 6 mars."


def test_it_forecasts_nothing_for_a_failed_promise():
    figures = figures_of(objective=5, count=2, count_14_days_ago=0)
    figures.promise.state = Promise.State.FAILED

    forecast = promise_forecast(figures)

    assert (forecast.kind, forecast.sentence) == (Kind.CLOSED, "")


@pytest.mark.parametrize(
    ("count", "low", "high"),
    # Exact 90 % Poisson bounds (from chi-square quantiles: χ²(0.05, 2n)/2, χ²(0.95, 2n+2)/2).
    [(0, 0.0, 2.996), (1, 0.0513, 4.744), (7, 3.285, 13.148), (56, 44.25, 70.01)],
)
def test_it_computes_the_poisson_interval(count, low, high):
    assert poisson_interval(count) == pytest.approx((low, high), rel=0.002)


def test_it_switches_to_the_approximation_for_large_counts_seamlessly():
    exact, approximate = poisson_interval(EXACT_UP_TO), poisson_interval(EXACT_UP_TO + 1)

    assert approximate == pytest.approx(exact, rel=0.01)
