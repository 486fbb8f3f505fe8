"""An organisation's impact report (/organisations/<slug>/rapport/), for its admins: over a
period they choose, the promises launched in the organisation's name and their figures, the
bilan's (figures.report_figures), as a page, a CSV file (rapport.csv) and a PDF to print
(report_pdf.py).

The report covers the promises launched during the period (created between its first and its
last day, Europe/Paris), those its admin may see and that are listed (not hidden by the
moderation), with their figures as of today.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from onpromet.french import french_date, french_number
from organisations.models import Membership, Organisation

from . import charts, text
from .figures import Figures, ReportFigures, report_figures
from .forms import DateInput
from .models import Promise

# A report spans at most ten years: a line of a point a day stays drawable, and a date typed
# with a wrong year ("0202") is caught.
MAX_DAYS = 3660


def year_ago(today: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for a 29th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


class PeriodForm(forms.Form):
    """?du=2026-01-01&au=2026-12-31, by default the last twelve months."""

    du = forms.DateField(
        label="Du",
        widget=DateInput(),
        error_messages={
            "required": "Indiquez le premier jour de la période.",
            "invalid": "Indiquez une date valide, par exemple 01/01/2026.",
        },
    )
    au = forms.DateField(
        label="Au",
        widget=DateInput(),
        error_messages={
            "required": "Indiquez le dernier jour de la période.",
            "invalid": "Indiquez une date valide, par exemple 31/12/2026.",
        },
    )

    @classmethod
    def from_query(cls, query) -> "PeriodForm":
        """Bound to the query string, or to the default period when it has neither date."""
        if "du" in query or "au" in query:
            return cls(query)
        today = timezone.localdate()
        return cls({"du": year_ago(today).isoformat(), "au": today.isoformat()})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start is None or end is None:
            return cleaned
        today = timezone.localdate()
        if end > today:
            self.add_error("au", "La période ne peut pas finir après aujourd'hui.")
        elif start > end:
            self.add_error("du", "Le premier jour doit précéder le dernier.")
        elif (end - start).days >= MAX_DAYS:
            self.add_error("du", "La période ne peut pas dépasser dix ans.")
        return cleaned

    @property
    def inputs(self) -> list[tuple[forms.BoundField, str]]:
        """Each field and the value its <input type="date"> may hold: an ISO date or nothing
        (a date typed "01/03/2026", or garbage, in a hand-made address)."""
        cleaned = getattr(self, "cleaned_data", {})
        inputs = []
        for field in self:
            value = cleaned.get(field.name)
            if value is None:
                try:
                    value = datetime.date.fromisoformat(str(field.value() or ""))
                except ValueError:
                    value = None
            inputs.append((field, value.isoformat() if value else ""))
        return inputs

    @property
    def query(self) -> str:
        """The chosen period as a query string, for the links to the CSV and the PDF."""
        return f"du={self.cleaned_data['du'].isoformat()}&au={self.cleaned_data['au'].isoformat()}"


@dataclass(frozen=True)
class ImpactReport:
    organisation: Organisation
    start: datetime.date
    end: datetime.date
    figures: ReportFigures
    # The public names of the promises' starters who are members today, by user id: any other
    # starter is written "Ancien membre" (a name only for who is still in the organisation).
    starters: dict

    @property
    def period(self) -> str:
        return (
            f"du {french_date(self.start, weekday=False)} au {french_date(self.end, weekday=False)}"
        )

    def starter(self, promise: Promise) -> str:
        return self.starters.get(promise.created_by_id, "Ancien membre")

    @property
    def rows(self) -> list[tuple[Figures, str]]:
        """Each promise's figures and who started it, for the table."""
        return [(item, self.starter(item.promise)) for item in self.figures.per_promise]

    def filename(self, extension: str) -> str:
        # Slugs are ASCII letters, digits and dashes: nothing to quote.
        return (
            f"rapport-{self.organisation.slug}-{self.start.isoformat()}-{self.end.isoformat()}"
            f".{extension}"
        )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def impact_report(*, organisation: Organisation, user, start, end) -> ImpactReport:
    """The report's promises and figures: seven queries, whatever the number of promises."""
    promises = list(
        Promise.objects.visible_to(user)
        .listed()
        .filter(
            organisation=organisation,
            created_at__gte=_day_start(start),
            created_at__lt=_day_start(end + datetime.timedelta(days=1)),
        )
        .select_related("created_by")
        .order_by("created_at", "pk")
    )
    starters = {
        membership.user_id: membership.user.public_name
        for membership in Membership.objects.filter(
            organisation=organisation, user_id__in={promise.created_by_id for promise in promises}
        ).select_related("user")
    }
    return ImpactReport(
        organisation=organisation,
        start=start,
        end=end,
        figures=report_figures(promises, organisation=organisation, start=start, end=end),
        starters=starters,
    )


# --- The chart ------------------------------------------------------------------------------


def describe(report: ImpactReport) -> str:
    series = report.figures.series
    if not series or not report.figures.per_promise:
        return "Aucune promesse lancée sur la période."
    (first_day, _), (last_day, last) = series[0], series[-1]
    peak = max(value for _, value in series)
    return (
        f"Promesses comptées, hors initiateurs, sur l'ensemble des promesses de "
        f"{report.organisation.name}, jour après jour, du "
        f"{french_date(first_day, weekday=False)} au {french_date(last_day, weekday=False)} : "
        f"{text.people_count(last)} au dernier jour, {text.people_count(peak)} au plus."
    )


def report_chart(report: ImpactReport, *, chart_id: str = "courbe-rapport") -> SafeString:
    """The bilan's chart (charts.py: same drawing, axes and classes), for the sum of the
    promises' lines over the period; no objective nor deadline, which belong to one promise."""
    series = report.figures.series or [(report.start, 0)]
    start = series[0][0]
    end = max(series[-1][0], start + datetime.timedelta(days=1))
    span_days = (end - start).days
    top_value = max(1, max(value for _, value in series))
    step = charts._nice_step(top_value * 1.1)
    y_max = step * (int(top_value * 1.1 // step) + 1)
    plot_w, plot_h = charts.PLOT_W, charts.PLOT_H
    left, top = charts.LEFT, charts.TOP

    def x(day: datetime.date) -> float:
        return round(left + plot_w * ((day - start).days + 0.5) / (span_days + 1), 1)

    def y(value: float) -> float:
        return round(top + plot_h - plot_h * value / y_max, 1)

    parts: list[str] = []
    for value in range(0, y_max + 1, step):
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                left,
                y(value),
                charts.WIDTH - charts.RIGHT,
                y(value),
                charts.GRID,
                left - 6,
                y(value) + 4,
                charts.GREY,
                french_number(value),
            )
        )
    for tick_x, label, anchor, on_phone in charts.date_ticks(start, end, x):
        minor = "" if on_phone else ' class="chart-tick-minor"'
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text{} x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}">{}</text>',
                tick_x,
                top + plot_h,
                tick_x,
                top + plot_h + 5,
                charts.GREY,
                mark_safe(minor),  # noqa: S308  # nosec B308 B703 (a constant)
                tick_x,
                top + plot_h + 24,
                anchor,
                charts.FONT,
                charts.GREY,
                label,
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            left,
            top + plot_h,
            charts.WIDTH - charts.RIGHT,
            top + plot_h,
            charts.GREY,
        )
    )
    points = [(x(day), y(value)) for day, value in series]
    (last_x, last_y), last_value = points[-1], series[-1][1]
    at_right = last_x > left + plot_w * 0.85
    parts.append(
        format_html(
            '<polyline class="chart-line" points="{}" fill="none" stroke="{}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
            '<circle cx="{}" cy="{}" r="4" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="{}" font-size="13" font-weight="bold" '
            'fill="{}">{}</text>',
            " ".join(f"{px},{py}" for px, py in points),
            charts.GREEN,
            last_x,
            last_y,
            charts.GREEN,
            last_x + (-6 if at_right else 6),
            last_y - 8,
            "end" if at_right else "start",
            charts.GREEN,
            french_number(last_value),
        )
    )
    return format_html(
        '<svg class="pledge-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-titre {}-desc" font-family="system-ui, sans-serif">'
        '<title id="{}-titre">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        charts.WIDTH,
        charts.HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        "Les promesses au fil du temps",
        chart_id,
        describe(report),
        mark_safe("".join(parts)),  # noqa: S308  # nosec B308 B703 (each part built by format_html)
    )


# --- The CSV file ---------------------------------------------------------------------------

CSV_HEADERS = (
    "Promesse",
    "Adresse",
    "Visibilité",
    "État",
    "Lancée le",
    "Démarrée par",
    "Objectif",
    "Objectif atteint le",
    "Participants",
    "Au moment de l'objectif",
    "En cours de route",
    "Ont posté une photo",
    "Ont tenu leur promesse",
    "Ont abandonné",
    "Venus par le lien d'un participant",
)


def _cell(value) -> str:
    """A spreadsheet never reads a cell as a formula: text starting with = + - @ or a tab is
    prefixed with an apostrophe (a name is typed by its owner)."""
    value = "" if value is None else str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value


def _day(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def report_csv(report: ImpactReport, *, site: str) -> str:
    """One row per promise with its figures, for a spreadsheet in French: ";" between cells
    and a byte order mark, without which Excel reads UTF-8 as Latin-1. No personal data but
    the public name of a starter who is still a member (ImpactReport.starters)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for figures in report.figures.per_promise:
        promise = figures.promise
        writer.writerow(
            [
                _cell(value)
                for value in (
                    promise.sentence,
                    site + promise.get_absolute_url(),
                    promise.get_visibility_display(),
                    promise.get_state_display(),
                    _day(promise.created_at),
                    report.starter(promise),
                    promise.objective,
                    _day(promise.reached_at),
                    figures.participants,
                    "" if figures.at_reached is None else figures.at_reached,
                    figures.joined_late,
                    figures.posted_photo,
                    figures.kept,
                    figures.abandoned,
                    figures.brought,
                )
            ]
        )
    return buffer.getvalue()
