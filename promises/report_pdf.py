"""The impact report on paper (/organisations/<slug>/rapport.pdf): an A4 document with the
organisation's figures over the period, the pledges-over-time chart and a table of the
promises, continued on as many pages as they need.

Drawn with reportlab as the poster is (print.py: the same embedded DejaVu fonts, colours and
text helpers). The chart is the page's (impact.report_chart): the same geometry, axes and
labels, drawn with reportlab's lines at the scale of the page.
"""

import datetime
import io

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from onpromet.french import french_number, french_spacing
from onpromet.site_url import absolute

from . import charts
from .impact import ImpactReport, describe
from .print import (
    BOLD,
    GREEN,
    GREY,
    INK,
    REGULAR,
    _clean,
    _draw_one_line,
    _draw_words,
    _register_fonts,
    _words,
    _wrap,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 48
WIDTH = PAGE_WIDTH - 2 * MARGIN
BAND = 56
FOOTER = 40  # nothing is drawn below this line but the footer
RULE = HexColor("#dfe5e1")


def report_pdf(report: ImpactReport) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    # invariant: no creation date nor random id in the file, so one report prints the same
    # bytes.
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    name = _clean(report.organisation.name)
    canvas.setTitle(f"Rapport d'impact — {name}, {report.period}")
    canvas.setAuthor("OnPromet")
    canvas.setSubject(absolute(report.organisation.get_absolute_url()))
    canvas.setCreator("OnPromet")

    page = _Pages(canvas, report)
    y = page.start()
    y = _draw_title(canvas, report, y)
    y = _draw_figures(canvas, report, y - 18)
    y = _draw_chart(canvas, report, y - 24)
    _draw_table(page, report, y - 28)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Pages:
    """The band on the first page, the footer on every page, a new page when one is full."""

    def __init__(self, canvas: Canvas, report: ImpactReport) -> None:
        self.canvas = canvas
        self.report = report
        self.number = 0

    def start(self) -> float:
        """Begins a page; returns the y under its top."""
        canvas = self.canvas
        self.number += 1
        if self.number > 1:
            canvas.showPage()
        top = PAGE_HEIGHT - MARGIN
        if self.number == 1:
            canvas.setFillColor(GREEN)
            canvas.rect(0, PAGE_HEIGHT - BAND, PAGE_WIDTH, BAND, stroke=0, fill=1)
            canvas.setFillColor(white)
            canvas.setFont(BOLD, 22)
            canvas.drawString(MARGIN, PAGE_HEIGHT - BAND + 19, "OnPromet")
            canvas.setFont(REGULAR, 13)
            canvas.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - BAND + 21, "Rapport d'impact")
            top = PAGE_HEIGHT - BAND - 30
        canvas.setFillColor(GREY)
        _draw_one_line(
            canvas,
            french_spacing(
                f"{_clean(self.report.organisation.name)} — rapport d'impact "
                f"{self.report.period} — page {self.number}"
            ),
            REGULAR,
            x=MARGIN,
            y=FOOTER - 16,
            width=WIDTH,
            sizes=(8, 6),
        )
        return top


def _draw_title(canvas: Canvas, report: ImpactReport, y: float) -> float:
    organisation = report.organisation
    for line in _wrap(_words(_clean(organisation.name)), BOLD, 24, WIDTH)[:2]:
        y -= 24
        _draw_words(canvas, line, BOLD, 24, MARGIN, y)
        y -= 4
    kind = organisation.get_kind_display()
    status = "vérifiée par OnPromet" if organisation.is_verified else "non vérifiée par OnPromet"
    y -= 16
    canvas.setFillColor(GREY)
    _draw_one_line(
        canvas,
        f"{kind[:1].upper()}{kind[1:]} · {status}",
        REGULAR,
        x=MARGIN,
        y=y,
        width=WIDTH,
        sizes=(11, 8),
    )
    y -= 18
    canvas.setFillColor(INK)
    _draw_one_line(
        canvas,
        french_spacing(f"Promesses lancées {report.period}, et leurs chiffres à ce jour"),
        BOLD,
        x=MARGIN,
        y=y,
        width=WIDTH,
        sizes=(12, 8),
    )
    return y


def _share(value: int | None, of: str) -> str:
    return "" if value is None else french_spacing(f"{value} % {of}")


def figure_boxes(report: ImpactReport) -> list[tuple[str, int, str]]:
    """(label, number, a note under it): the page's figures, in the same order."""
    figures = report.figures
    return [
        ("Promesses lancées", figures.launched, ""),
        ("Objectif atteint", figures.reached, ""),
        ("Participants", figures.participants, "personnes distinctes"),
        (
            "Membres participants",
            figures.participants_members,
            _share(figures.members_share, f"des {french_number(figures.members)} membres"),
        ),
        ("Ont tenu leur promesse", figures.kept, _share(figures.kept_share, "des participations")),
        (
            "Ont posté une photo",
            figures.posted_photo,
            _share(figures.posted_photo_share, "des participations"),
        ),
        (
            "En cours de route",
            figures.joined_late,
            _share(figures.joined_late_share, "des participations"),
        ),
        ("Ont abandonné", figures.abandoned, _share(figures.abandoned_share, "des participations")),
    ]


def _draw_figures(canvas: Canvas, report: ImpactReport, y: float) -> float:
    """Two rows of four boxes: the number large, its label above, a share under it."""
    columns, gap, height = 4, 8, 64
    box_width = (WIDTH - gap * (columns - 1)) / columns
    for index, (label, number, note) in enumerate(figure_boxes(report)):
        row, column = divmod(index, columns)
        x = MARGIN + column * (box_width + gap)
        top = y - row * (height + gap)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1)
        canvas.roundRect(x, top - height, box_width, height, 4, stroke=1, fill=0)
        canvas.setFillColor(GREY)
        _draw_one_line(
            canvas, label, REGULAR, x=x + 8, y=top - 15, width=box_width - 16, sizes=(8.5, 6)
        )
        canvas.setFillColor(GREEN)
        canvas.setFont(BOLD, 20)
        canvas.drawString(x + 8, top - 39, french_number(number))
        if note:
            canvas.setFillColor(GREY)
            _draw_one_line(
                canvas, note, REGULAR, x=x + 8, y=top - 54, width=box_width - 16, sizes=(7.5, 5)
            )
    rows = -(-len(figure_boxes(report)) // columns)
    return y - rows * (height + gap) + gap


def _draw_chart(canvas: Canvas, report: ImpactReport, y: float) -> float:
    """The page's chart at the page's width: its drawing units times `scale`, from (MARGIN,
    bottom)."""
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 12)
    canvas.drawString(MARGIN, y - 12, "Les promesses au fil du temps")
    y -= 20
    scale = WIDTH / charts.WIDTH
    bottom = y - charts.HEIGHT * scale + charts.TOP * scale * 0.6

    series = report.figures.series or [(report.start, 0)]
    start = series[0][0]
    end = max(series[-1][0], start + datetime.timedelta(days=1))
    span_days = (end - start).days
    top_value = max(1, max(value for _, value in series))
    step = charts._nice_step(top_value * 1.1)
    y_max = step * (int(top_value * 1.1 // step) + 1)

    def svg_x(day: datetime.date) -> float:
        return charts.LEFT + charts.PLOT_W * ((day - start).days + 0.5) / (span_days + 1)

    def svg_y(value: float) -> float:
        return charts.TOP + charts.PLOT_H - charts.PLOT_H * value / y_max

    def px(value: float) -> float:
        return MARGIN + value * scale

    def py(value: float) -> float:
        return bottom + (charts.HEIGHT - value) * scale

    font = charts.FONT * scale
    canvas.setLineWidth(0.75)
    for value in range(0, y_max + 1, step):
        canvas.setStrokeColor(HexColor(charts.GRID))
        canvas.line(
            px(charts.LEFT), py(svg_y(value)), px(charts.WIDTH - charts.RIGHT), py(svg_y(value))
        )
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, font)
        canvas.drawRightString(px(charts.LEFT - 6), py(svg_y(value) + 4), french_number(value))
    axis_y = charts.TOP + charts.PLOT_H
    canvas.setStrokeColor(GREY)
    canvas.line(px(charts.LEFT), py(axis_y), px(charts.WIDTH - charts.RIGHT), py(axis_y))
    for tick_x, label, anchor, _on_phone in charts.date_ticks(start, end, svg_x):
        canvas.line(px(tick_x), py(axis_y), px(tick_x), py(axis_y + 5))
        draw = {
            "start": canvas.drawString,
            "middle": canvas.drawCentredString,
            "end": canvas.drawRightString,
        }[anchor]
        draw(px(tick_x), py(axis_y + 24), label)

    green = HexColor(charts.GREEN)
    path = canvas.beginPath()
    for index, (day, value) in enumerate(series):
        point = (px(svg_x(day)), py(svg_y(value)))
        if index:
            path.lineTo(*point)
        else:
            path.moveTo(*point)
    canvas.setStrokeColor(green)
    canvas.setLineWidth(2)
    canvas.setLineJoin(1)
    canvas.drawPath(path, stroke=1, fill=0)
    last_day, last = series[-1]
    last_x, last_y = px(svg_x(last_day)), py(svg_y(last))
    canvas.setFillColor(green)
    canvas.circle(last_x, last_y, 3, stroke=0, fill=1)
    canvas.setFont(BOLD, 13 * scale)
    at_right = svg_x(last_day) > charts.LEFT + charts.PLOT_W * 0.85
    (canvas.drawRightString if at_right else canvas.drawString)(
        last_x + (-5 if at_right else 5), last_y + 6, french_number(last)
    )

    # The chart in words, as the page's <desc> gives it to a screen reader.
    canvas.setFillColor(GREY)
    y = bottom - 4
    for line in _wrap(_words(_clean(french_spacing(describe(report)))), REGULAR, 8, WIDTH):
        y -= 10
        _draw_words(canvas, line, REGULAR, 8, MARGIN, y, color=GREY)
    return y


# The table: (header, width, right-aligned). The promise takes what the figures leave.
COLUMNS = (
    ("Promesse", None, False),
    ("État", 84, False),
    ("Particip.", 50, True),
    ("Tenues", 44, True),
    ("Photos", 44, True),
    ("Abandons", 54, True),
)
ROW_FONT = 8
ROW_LEADING = 10


def _draw_header(canvas: Canvas, widths: list[float], y: float) -> float:
    canvas.setFillColor(GREY)
    canvas.setFont(BOLD, ROW_FONT)
    x = MARGIN
    for (header, _, right), width in zip(COLUMNS, widths, strict=True):
        if right:
            canvas.drawRightString(x + width, y, header)
        else:
            canvas.drawString(x, y, header)
        x += width
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.75)
    canvas.line(MARGIN, y - 4, MARGIN + WIDTH, y - 4)
    return y - 4


def _draw_table(pages: _Pages, report: ImpactReport, y: float) -> None:
    canvas = pages.canvas
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 12)
    canvas.drawString(MARGIN, y, "Les promesses")
    y -= 20
    if not report.figures.per_promise:
        canvas.setFont(REGULAR, 10)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, y, "Aucune promesse lancée sur la période.")
        return
    fixed = sum(width for _, width, _ in COLUMNS if width)
    widths = [width or WIDTH - fixed for _, width, _ in COLUMNS]
    y = _draw_header(canvas, widths, y)
    for figures in report.figures.per_promise:
        promise = figures.promise
        sentence = _wrap(_words(_clean(promise.sentence)), REGULAR, ROW_FONT, widths[0] - 8)[:3]
        cells = [
            promise.get_state_display(),
            french_number(figures.participants),
            french_number(figures.kept),
            french_number(figures.posted_photo),
            french_number(figures.abandoned),
        ]
        height = len(sentence) * ROW_LEADING + 6
        if y - height < FOOTER + 8:
            y = _draw_header(canvas, widths, pages.start() - 10)
        y -= ROW_LEADING + 2
        row_top = y
        for line in sentence:
            _draw_words(canvas, line, REGULAR, ROW_FONT, MARGIN, y)
            y -= ROW_LEADING
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, ROW_FONT)
        x = MARGIN + widths[0]
        for (_, width, right), value in zip(COLUMNS[1:], cells, strict=True):
            if right:
                canvas.drawRightString(x + width, row_top, value)
            else:
                _draw_one_line(
                    canvas, value, REGULAR, x=x, y=row_top, width=width - 6, sizes=(ROW_FONT, 6)
                )
                canvas.setFont(REGULAR, ROW_FONT)
            x += width
        y += ROW_LEADING - 6
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y, MARGIN + WIDTH, y)
