"""In a real Chromium: the bilan's chart over a day, a week, two months and a year, at the
desktop size and, with onpromet.css, at a phone's. The labels of the date axis are measured
(getBBox): none overlaps another or leaves the drawing. Screenshots: SCREENSHOTS_DIR/chart-*.png.
"""

from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings

from promises.charts import WIDTH
from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
from promises.tests.test_chart import AXIS_Y, chart

pytestmark = pytest.mark.browser

CSS = Path(settings.BASE_DIR) / "static" / "css" / "onpromet.css"

# The boxes of the date axis's visible labels, in the drawing's units, left to right.
MEASURE = """(y) => [...document.querySelectorAll(`svg text[y="${y}"]`)]
  .filter((t) => getComputedStyle(t).display !== "none")
  .map((t) => { const b = t.getBBox(); return [b.x, b.x + b.width, t.textContent]; })
  .sort((a, b) => a[0] - b[0])"""


@pytest.mark.parametrize("span", [1, 7, 60, 365])
@pytest.mark.parametrize(("viewport", "suffix"), [(DESKTOP, ""), (PHONE, "-phone")])
def test_the_date_axis_reads_clearly_at_every_span(new_page, span, viewport, suffix):
    page = new_page(viewport=viewport)
    # As on the bilan page: the chart fills its column (at most 640 px here, its own size).
    page.set_content(
        '<!doctype html><html lang="fr"><body><main class="recap-chart">'
        f"{chart(span)}</main></body></html>"
    )
    page.add_style_tag(content="main { max-width: 640px; padding: 8px; }")
    page.add_style_tag(path=str(CSS))

    boxes = page.evaluate(MEASURE, AXIS_Y)
    page.locator("svg").screenshot(path=SCREENSHOTS_DIR / f"chart-{span}d{suffix}.png")

    assert len(boxes) >= 2 or (suffix and len(boxes) >= 1)
    for left, right, label in boxes:
        assert left >= 0 and right <= WIDTH, label
    for (_, right, label), (left, _, following) in pairwise(boxes):
        assert right + 4 <= left, f"{label!r} overlaps {following!r}"
