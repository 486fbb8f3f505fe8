"""The chart of pledges over time, drawn on the server as inline SVG: readable without
JavaScript, and without any style attribute (strict CSP): colours and strokes are SVG
presentation attributes, sizes come from CSS classes in static/css/onpromet.css.

Accessible: role="img", named by its <title> and described in words by its <desc> (the
figures the picture shows), so a screen reader gets the same story as the eye.
"""

import datetime
from itertools import pairwise

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from onpromet.french import french_date, french_number

from . import text
from .figures import Figures

WIDTH, HEIGHT = 640, 280
# Room for labels at the phone font size too (onpromet.css enlarges the text of the chart
# on narrow screens, where the whole drawing is scaled down).
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 56, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

GREEN = "#0b6e4f"
OBJECTIVE = "#8a5a00"
GREY = "#5b6b63"
GRID = "#dfe5e1"

# The date axis. Its labels are never measured by a browser: their width is estimated,
# generously (system-ui on Debian is DejaVu Sans, about 0.6 em a character), at the desktop
# size and at the phone size, where onpromet.css enlarges the chart's text and hides the
# labels of class chart-tick-minor.
FONT, PHONE_FONT = 12, 22
CHAR_EM = 0.6
LABEL_GAP = 10  # at least this much room between two labels, in the drawing's units


def _nice_step(span: float, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving about `ticks` intervals over span."""
    raw = max(span / ticks, 1)
    magnitude = 10 ** len(str(int(raw))) // 10 or 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def describe(figures: Figures) -> str:
    """The chart in words (its <desc>); years only when its days are not all in one year."""
    promise = figures.promise
    deadline = timezone.localdate(promise.deadline)
    days = [day for day, _ in figures.series] + [deadline]
    with_year = min(days).year != max(days).year

    def day_text(day: datetime.date) -> str:
        return french_date(day, weekday=False, year=with_year)

    parts = []
    if figures.series:
        first_day, _ = figures.series[0]
        last_day, last = figures.series[-1]
        parts.append(
            f"Promesses comptées, hors initiateurs, jour après jour, du {day_text(first_day)} "
            f"au {day_text(last_day)} : {text.people_count(last)} au dernier jour."
        )
    parts.append(f"Objectif : {text.people_count(promise.objective)}.")
    if promise.reached_at:
        parts.append(f"Objectif atteint le {day_text(timezone.localdate(promise.reached_at))}.")
    parts.append(f"Date limite : le {day_text(deadline)}.")
    return " ".join(parts)


# --- The date axis -----------------------------------------------------------------------------


def _label_width(label: str, font: int) -> float:
    return len(label) * font * CHAR_EM


def _day_label(day: datetime.date, *, short: bool) -> str:
    return french_date(day, weekday=False, short_month=short, year=False)


def _days(start: datetime.date, end: datetime.date, step: int, *, short: bool) -> list:
    count = (end - start).days // step + 1
    days = [start + datetime.timedelta(days=step * i) for i in range(count)]
    return [(day, _day_label(day, short=short)) for day in days]


def _weeks(start: datetime.date, end: datetime.date, step: int) -> list:
    """Mondays, every `step` weeks: '7 juil.'."""
    monday = start + datetime.timedelta(days=-start.weekday() % 7)
    count = max(0, (end - monday).days // (7 * step) + 1)
    days = [monday + datetime.timedelta(weeks=step * i) for i in range(count)]
    return [(day, _day_label(day, short=True)) for day in days]


def _months(start: datetime.date, end: datetime.date, step: int) -> list:
    """First days of months, on multiples of `step` (every quarter: janv., avr., juil., oct.).
    Monthly or every other month: 'juil. 2027' for the first and each January, the month
    alone in between; sparser, every label has its year ('oct. 2027'), since a phone may
    show only one in two; yearly, the year alone ('2028')."""
    ticks = []
    year, month = start.year, start.month
    if start.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while (day := datetime.date(year, month, 1)) <= end:
        if (month - 1) % step == 0:
            with_year = step > 2 or not ticks or month == 1
            label = french_date(day, day=False, month=step < 12, short_month=True, year=with_year)
            ticks.append((day, label))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


# From the finest to the coarsest: the chart takes the first whose labels all fit.
_TICK_CHOICES = (
    lambda start, end: _days(start, end, 1, short=False),
    lambda start, end: _days(start, end, 1, short=True),
    lambda start, end: _days(start, end, 2, short=True),
    lambda start, end: _days(start, end, 3, short=True),
    lambda start, end: _weeks(start, end, 1),
    lambda start, end: _weeks(start, end, 2),
    lambda start, end: _months(start, end, 1),
    lambda start, end: _months(start, end, 2),
    lambda start, end: _months(start, end, 3),
    lambda start, end: _months(start, end, 6),
    lambda start, end: _months(start, end, 12),
)


def _anchor(x: float, label: str) -> str:
    """Centred under its tick, unless the label would leave the drawing at the phone size
    (the anchor is the same for both sizes)."""
    half = _label_width(label, PHONE_FONT) / 2
    if x - half < 0:
        return "start"
    if x + half > WIDTH:
        return "end"
    return "middle"


def _extent(x: float, label: str, anchor: str, font: int) -> tuple[float, float]:
    width = _label_width(label, font)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, left + width


def _fits(ticks: list, font: int) -> bool:
    """Each label is inside the drawing and ends at least LABEL_GAP before the next begins
    (ticks: x, label, anchor)."""
    extents = [_extent(x, label, anchor, font) for x, label, anchor in ticks]
    inside = all(left >= 0 and right <= WIDTH for left, right in extents)
    return inside and all(right + LABEL_GAP <= left for (_, right), (left, _) in pairwise(extents))


def _on_phone(ticks: list) -> set[int]:
    """The indexes of the labels kept on a phone: every n-th from the first, n as small as
    fits at the phone size; if possible an n that keeps every label with a year ('janv. 2028'),
    so that a phone also shows where a year begins."""
    fitting = [n for n in range(1, len(ticks) + 1) if _fits(ticks[::n], PHONE_FONT)]
    years = {i for i, (_, label, _) in enumerate(ticks) if label[-4:].isdigit()}
    every = next((n for n in fitting if all(i % n == 0 for i in years)), None)
    every = every or (fitting[0] if fitting else len(ticks))
    return set(range(0, len(ticks), every))


def date_ticks(start: datetime.date, end: datetime.date, x) -> list[tuple[float, str, str, bool]]:
    """The labels of the date axis, (x, label, anchor, on_phone): days for a short span,
    Mondays for a few weeks, months for longer, as many as fit without overlapping at the
    desktop size; on_phone marks those that still fit at the phone size (_on_phone)."""
    ticks = []
    for choice in _TICK_CHOICES:
        candidates = [(x(day), label) for day, label in choice(start, end)]
        ticks = [(tick_x, label, _anchor(tick_x, label)) for tick_x, label in candidates]
        if len(ticks) >= 2 and _fits(ticks, FONT):
            break
    on_phone = _on_phone(ticks)
    return [(*tick, index in on_phone) for index, tick in enumerate(ticks)]


def pledges_chart(figures: Figures, *, chart_id: str) -> SafeString:
    """The SVG of the cumulative counted pledges by day, with the objective, the day it was
    reached and the deadline. chart_id makes the ids unique when a page shows several."""
    promise = figures.promise
    series = figures.series or [(timezone.localdate(promise.created_at), 0)]
    start = series[0][0]
    deadline = timezone.localdate(promise.deadline)
    reached = timezone.localdate(promise.reached_at) if promise.reached_at else None
    end = max(series[-1][0], deadline, start + datetime.timedelta(days=1))
    span_days = (end - start).days
    top_value = max(promise.objective, max(value for _, value in series))
    step = _nice_step(top_value * 1.1)
    y_max = step * (int(top_value * 1.1 // step) + 1)

    def x(day: datetime.date) -> float:
        # Each day is a column; its value is drawn in the middle of it.
        return round(LEFT + PLOT_W * ((day - start).days + 0.5) / (span_days + 1), 1)

    def y(value: float) -> float:
        return round(TOP + PLOT_H - PLOT_H * value / y_max, 1)

    parts: list[str] = []
    # Horizontal grid and the count axis.
    for value in range(0, y_max + 1, step):
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                LEFT,
                y(value),
                WIDTH - RIGHT,
                y(value),
                GRID,
                LEFT - 6,
                y(value) + 4,
                GREY,
                french_number(value),
            )
        )
    # The date axis: days, weeks or months, as the span allows (date_ticks).
    for tick_x, label, anchor, on_phone in date_ticks(start, end, x):
        minor = "" if on_phone else ' class="chart-tick-minor"'
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text{} x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}">{}</text>',
                tick_x,
                TOP + PLOT_H,
                tick_x,
                TOP + PLOT_H + 5,
                GREY,
                mark_safe(minor),  # noqa: S308  # nosec B308 B703 (a constant)
                tick_x,
                TOP + PLOT_H + 24,
                anchor,
                FONT,
                GREY,
                label,
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            TOP + PLOT_H,
            WIDTH - RIGHT,
            TOP + PLOT_H,
            GREY,
        )
    )
    # The deadline and the day the objective was reached: vertical markers, labelled on two
    # rows above the plot so that close dates never overlap.
    markers = [(deadline, "Date limite", GREY, "6 4", TOP - 8)]
    if reached:
        with_year = start.year != end.year
        label = f"Atteint le {french_date(reached, weekday=False, year=with_year)}"
        markers.append((reached, label, GREEN, "2 3", TOP - 32))
    for day, label, colour, dashes, label_y in markers:
        anchor = "end" if x(day) > LEFT + PLOT_W * 0.6 else "start"
        parts.append(
            format_html(
                '<line class="chart-marker" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
                'stroke-width="1.5" stroke-dasharray="{}"/>'
                '<text x="{}" y="{}" text-anchor="{}" font-size="12" fill="{}">{}</text>',
                x(day),
                label_y + 4,
                x(day),
                TOP + PLOT_H,
                colour,
                dashes,
                x(day) + (-4 if anchor == "end" else 4),
                label_y,
                anchor,
                colour,
                label,
            )
        )
    # The objective: a horizontal line, labelled at its left end, where the count is still
    # below it (the right end is where the deadline's marker and the last value are).
    parts.append(
        format_html(
            '<line class="chart-objective" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
            'stroke-width="1.5" stroke-dasharray="8 4"/>'
            '<text x="{}" y="{}" text-anchor="start" font-size="12" font-weight="bold" '
            'fill="{}">Objectif : {}</text>',
            LEFT,
            y(promise.objective),
            WIDTH - RIGHT,
            y(promise.objective),
            OBJECTIVE,
            LEFT + 6,
            y(promise.objective) - 6,
            OBJECTIVE,
            french_number(promise.objective),
        )
    )
    # The cumulative count at the end of each day, a dot and the value on its last day.
    points = [(x(day), y(value)) for day, value in series]
    (last_x, last_y), last_value = points[-1], series[-1][1]
    at_right = last_x > LEFT + PLOT_W * 0.85
    # The value goes above its dot, or below when the objective's label is there.
    near_objective_label = last_x < LEFT + PLOT_W * 0.4 and abs(last_y - y(promise.objective)) < 20
    value_y = last_y + 24 if near_objective_label else last_y - 8
    parts.append(
        format_html(
            '<polyline class="chart-line" points="{}" fill="none" stroke="{}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
            '<circle cx="{}" cy="{}" r="4" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="{}" font-size="13" font-weight="bold" '
            'fill="{}">{}</text>',
            " ".join(f"{px},{py}" for px, py in points),
            GREEN,
            last_x,
            last_y,
            GREEN,
            last_x + (-6 if at_right else 6),
            value_y,
            "end" if at_right else "start",
            GREEN,
            french_number(last_value),
        )
    )
    title = "Les promesses au fil du temps"
    return format_html(
        '<svg class="pledge-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-titre {}-desc" font-family="system-ui, sans-serif">'
        '<title id="{}-titre">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        describe(figures),
        mark_safe("".join(parts)),  # noqa: S308  # nosec B308 B703 (each part built by format_html)
    )
