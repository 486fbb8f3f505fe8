"""The chart of pledges over time, drawn on the server as inline SVG: readable without
JavaScript, and without any style attribute (strict CSP): colours and strokes are SVG
presentation attributes, sizes come from CSS classes in static/css/onpromet.css.

Accessible: role="img", named by its <title> and described in words by its <desc> (the
figures the picture shows), so a screen reader gets the same story as the eye.
"""

import datetime

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from . import text
from .figures import Figures
from .forecast import french_day

WIDTH, HEIGHT = 640, 280
# Room for labels at the phone font size too (onpromet.css enlarges the text of the chart
# on narrow screens, where the whole drawing is scaled down).
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 56, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

GREEN = "#0b6e4f"
OBJECTIVE = "#8a5a00"
GREY = "#5b6b63"
GRID = "#dfe5e1"


def _nice_step(span: float, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving about `ticks` intervals over span."""
    raw = max(span / ticks, 1)
    magnitude = 10 ** len(str(int(raw))) // 10 or 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def _people(count: int) -> str:
    return f"{text.format_count(count)} personne{'s' if count > 1 else ''}"


def describe(figures: Figures) -> str:
    """The chart in words (its <desc>)."""
    promise = figures.promise
    parts = []
    if figures.series:
        first_day, _ = figures.series[0]
        last_day, last = figures.series[-1]
        parts.append(
            f"Promesses comptées, hors initiateurs, jour après jour, du {french_day(first_day)} "
            f"au {french_day(last_day)} : {_people(last)} au dernier jour."
        )
    parts.append(f"Objectif : {_people(promise.objective)}.")
    if promise.reached_at:
        parts.append(f"Objectif atteint le {french_day(timezone.localdate(promise.reached_at))}.")
    parts.append(f"Date limite : le {french_day(timezone.localdate(promise.deadline))}.")
    return " ".join(parts)


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
                text.format_count(value),
            )
        )
    # Day axis: the first day, the last, and up to three in between.
    ticks = [start + datetime.timedelta(days=round(span_days * i / 4)) for i in range(5)]
    for index, day in enumerate(ticks):
        if day in ticks[:index]:
            continue
        anchor = "start" if day == start else "end" if day == end else "middle"
        # The 2nd and 4th labels give way on a phone, where five would overlap.
        minor = ' class="chart-tick-minor"' if index in (1, 3) else ""
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text{} x="{}" y="{}" text-anchor="{}" font-size="12" fill="{}">{}</text>',
                x(day),
                TOP + PLOT_H,
                x(day),
                TOP + PLOT_H + 5,
                GREY,
                mark_safe(minor),  # noqa: S308  # nosec B308 B703 (a constant)
                x(day),
                TOP + PLOT_H + 24,
                anchor,
                GREY,
                french_day(day),
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
        markers.append((reached, f"Atteint le {french_day(reached)}", GREEN, "2 3", TOP - 32))
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
            text.format_count(promise.objective),
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
            text.format_count(last_value),
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
