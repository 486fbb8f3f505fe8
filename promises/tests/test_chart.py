"""promises.charts: the pledges-over-time chart, drawn on the server as SVG."""

import datetime
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
import time_machine
from django.utils import timezone

from promises.charts import HEIGHT, LEFT, PLOT_H, PLOT_W, TOP, WIDTH, pledges_chart
from promises.figures import Figures, promise_figures
from promises.models import Promise
from promises.tests import scenarios

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def svg(initiator):
    story = scenarios.build(initiator)
    with time_machine.travel(scenarios.NOW, tick=False):
        return str(pledges_chart(promise_figures(story.promise), chart_id="courbe-test"))


def _tree(svg: str) -> ET.Element:
    # Inline SVG in HTML has no namespace declaration; give it one to parse it as XML.
    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(svg)  # noqa: S314 (our own output, in a test)


def _texts(tree: ET.Element) -> list[str]:
    return [element.text for element in tree.iter(f"{SVG}text")]


def test_it_is_an_accessible_image_described_in_words(svg):
    tree = _tree(svg)

    assert tree.get("role") == "img"
    assert tree.get("aria-labelledby") == "courbe-test-titre courbe-test-desc"
    assert tree.find(f"{SVG}title").text == "Les promesses au fil du temps"
    assert tree.find(f"{SVG}title").get("id") == "courbe-test-titre"
    assert tree.find(f"{SVG}desc").text == (
        "Promesses comptées, hors initiateurs, jour après jour, du 2 mars au 10 mars : "
        "4 personnes au dernier jour. Objectif : 4 personnes. Objectif atteint le 6 mars. "
        "Date limite : le 20 mars."
    )


def test_it_labels_the_objective_the_reached_day_and_the_deadline(svg):
    texts = _texts(_tree(svg))

    assert "Objectif : 4" in texts
    assert "Atteint le 6 mars" in texts
    assert "Date limite" in texts


def test_it_labels_the_axes_with_french_dates_and_counts(svg):
    texts = _texts(_tree(svg))

    # The days run from the launch to the deadline, 2 to 20 March: a label every few days,
    # from the launch day.
    days = [int(t.split()[0]) for t in texts if re.fullmatch(r"\d+ mars", t)]
    assert days[0] == 2 and 4 <= len(days) <= 10
    assert len({b - a for a, b in pairwise(days)}) == 1
    assert {"0", "2", "4"} <= set(texts)


def test_it_draws_the_count_at_the_end_of_each_day(svg):
    tree = _tree(svg)
    line = tree.find(f"{SVG}polyline[@class='chart-line']")
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]

    assert len(points) == len(scenarios.SERIES)  # one per day, 2 to 10 March
    xs = [x for x, _ in points]
    assert xs == sorted(xs) and xs[0] > LEFT
    # Heights follow the series: 0, 3, 3, 3, 4, 6, 6, 4, 4 (y grows downwards).
    base = TOP + PLOT_H
    heights = [round(base - y, 1) for _, y in points]
    unit = heights[4] / 4
    assert [round(h / unit) for h in heights] == [count for _, count in scenarios.SERIES]
    # The last value is written next to the line.
    assert "4" in _texts(tree)


def test_it_draws_the_objective_line_at_the_objective(svg):
    tree = _tree(svg)
    objective = tree.find(f"{SVG}line[@class='chart-objective']")
    line = tree.find(f"{SVG}polyline[@class='chart-line']")
    fifth_day_y = float(line.get("points").split()[4].split(",")[1])  # 6 March: 4

    assert float(objective.get("y1")) == float(objective.get("y2")) == fifth_day_y


def test_it_has_no_style_attribute_nor_script(svg):
    assert "style=" not in svg
    assert "<script" not in svg
    assert re.search(rf'viewBox="0 0 \d+ {HEIGHT}"', svg)


# --- The date axis adapts to the span: days, weeks (Mondays) or months ------------------------

START = datetime.date(2027, 7, 1)  # a Thursday, the 1st: "1er juillet"
AXIS_Y = str(TOP + PLOT_H + 24)
SHORT_MONTHS = "janv.|févr.|mars|avr.|mai|juin|juil.|août|sept.|oct.|nov.|déc."


def chart(span_days: int, *, objective: int = 20) -> str:
    """The chart of a promise launched on START whose deadline is span_days later, with a
    count that grows to a little over its objective by the deadline."""
    tz = timezone.get_current_timezone()
    end = START + datetime.timedelta(days=span_days)
    series = [
        (START + datetime.timedelta(days=i), round(1.2 * objective * (i / span_days) ** 0.7))
        for i in range(span_days + 1)
    ]
    reached = next(day for day, count in series if count >= objective)
    promise = Promise(
        slug="courbe",
        action="planter des arbres",
        objective=objective,
        created_at=datetime.datetime.combine(START, datetime.time(9), tz),
        deadline=datetime.datetime.combine(end, datetime.time(23), tz),
        reached_at=datetime.datetime.combine(reached, datetime.time(18), tz),
        state=Promise.State.REACHED,
    )
    figures = Figures(
        promise=promise,
        initiators=1,
        participants=series[-1][1],
        at_reached=objective,
        joined_late=series[-1][1] - objective,
        posted_photo=0,
        kept=0,
        abandoned=0,
        brought=0,
        series=series,
    )
    return str(pledges_chart(figures, chart_id=f"courbe-{span_days}"))


def axis_labels(svg: str) -> list[tuple[float, str, str, bool]]:
    """The date axis's labels: x, text, anchor, and whether a phone shows it."""
    return [
        (float(t.get("x")), t.text, t.get("text-anchor"), t.get("class") != "chart-tick-minor")
        for t in _tree(svg).iter(f"{SVG}text")
        if t.get("y") == AXIS_Y
    ]


def extents(labels, font: int) -> list[tuple[float, float]]:
    """Where each label lies, its width estimated at 0.6 em a character (what DejaVu Sans,
    system-ui on Debian, takes at most for these words)."""
    boxes = []
    for x, label, anchor, _ in labels:
        width = 0.6 * font * len(label)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((left, left + width))
    return boxes


def test_it_labels_a_day_by_its_two_dates_in_full():
    assert [label for _, label, _, _ in axis_labels(chart(1))] == ["1er juillet", "2 juillet"]


def test_it_labels_a_week_day_by_day():
    labels = [label for _, label, _, _ in axis_labels(chart(7))]

    assert labels == [f"{'1er' if day == 1 else day} juil." for day in range(1, 9)]


def test_it_labels_two_months_by_mondays():
    labels = [label for _, label, _, _ in axis_labels(chart(60))]

    assert 4 <= len(labels) <= 9
    for label in labels:
        number, month = label.split()
        day = datetime.date(2027, 7 if month == "juil." else 8, int(number))
        assert day.weekday() == 0, label  # a Monday
        assert START <= day <= START + datetime.timedelta(days=60)


def test_it_labels_a_year_by_months_with_their_year():
    labels = [label for _, label, _, _ in axis_labels(chart(365))]

    assert 3 <= len(labels) <= 12
    assert labels[0] == "juil. 2027"
    assert "janv. 2028" in labels
    assert all(re.fullmatch(rf"({SHORT_MONTHS})( \d{{4}})?", label) for label in labels)


@pytest.mark.parametrize("span", [1, 2, 7, 10, 14, 30, 60, 90, 180, 365, 730, 1500])
def test_it_never_lets_two_labels_overlap_nor_leave_the_drawing(span):
    labels = axis_labels(chart(span))
    on_phone = [label for label in labels if label[3]]

    assert 2 <= len(labels) <= PLOT_W // 40
    assert on_phone and on_phone[0] == labels[0]
    for font, shown in ((12, labels), (22, on_phone)):  # desktop, and onpromet.css's phone size
        boxes = extents(shown, font)
        assert all(left >= 0 and right <= WIDTH for left, right in boxes), (font, shown)
        assert all(a_right + 8 <= b_left for (_, a_right), (b_left, _) in pairwise(boxes)), (
            font,
            shown,
        )


def test_it_writes_the_years_in_words_when_the_chart_spans_two():
    desc = _tree(chart(365)).find(f"{SVG}desc").text

    assert "du 1er juillet 2027 au 30 juin 2028" in desc
    assert "Date limite : le 30 juin 2028." in desc
