"""promises.charts: the pledges-over-time chart, drawn on the server as SVG."""

import re
import xml.etree.ElementTree as ET

import pytest
import time_machine

from promises.charts import HEIGHT, LEFT, PLOT_H, TOP, pledges_chart
from promises.figures import promise_figures
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

    # The days run from the launch to the deadline: 2 to 20 March, in five ticks.
    days = [t for t in texts if re.fullmatch(r"\d+ mars", t)]
    assert days == ["2 mars", "6 mars", "11 mars", "16 mars", "20 mars"]
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
