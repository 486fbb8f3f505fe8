"""Search alerts, "Prévenez-moi": a logged-in visitor saves the search they made on /promesses/
(words, theme, place and radius, time, format, moment) and gets, in a daily or weekly digest
(notifications.digests, topic ALERTS), the open promises published since that match it.

An alert keeps the search's query string, the filters of SearchForm, and nothing else: not the
browser's position (never stored), nor the state, the order or the page. Its promises are found
by the listing's own builder (selectors.promises_search), so an alert finds what the search
finds. Each digest takes the promises published up to the end of its period and moves the
alert's mark there, in the transaction that writes the digest: a promise is announced once.
"""

import datetime
from urllib.parse import urlencode

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from notifications.kinds import Cadence, Source, Topic
from onpromet.errors import Refusal
from onpromet.site_url import absolute

from . import selectors
from .finder import Timing
from .forms import SearchForm
from .models import Alert, Pledge, Promise

TOPIC_ALERTS = "alerts"
SOURCE_ALERTS = "alerts"
# The search's own filters; the position (lat, lon) is never kept.
FIELDS = ("q", "theme", "pres", "rayon", "duree", "format", "quand")
PER_USER = 20
PER_ALERT = 10  # promises announced per alert and digest; the search shows the rest


def fields_of(data: QueryDict) -> list[tuple[str, str]]:
    """The search's filters that an alert keeps, those that are set, in a stable order (the
    same search saved twice is one alert); none when nothing is filtered."""
    pairs = [(name, v) for name in FIELDS for v in sorted(data.getlist(name)) if v.strip()]
    if not data.get("pres", "").strip():
        pairs = [(name, v) for name, v in pairs if name != "rayon"]  # a radius around nothing
    return pairs


def query_of(data: QueryDict) -> str:
    return urlencode(fields_of(data))


def _form(query: str) -> SearchForm | None:
    form = SearchForm(QueryDict(query))
    return form if form.is_valid() else None


def label_of(form: SearchForm) -> str:
    """What the alert is, in words: « plage », Environnement, près de Biscarrosse (10 km)…"""
    data = form.cleaned_data
    parts = []
    if data["q"]:
        parts.append(f"« {data['q']} »")
    if data["theme"]:
        parts.append(data["theme"].name)
    if data["near_place"]:
        parts.append(f"près de {data['near_place'].name} ({data['rayon']} km)")
    durations = dict(Promise.Duration.choices)
    formats = dict(Promise.Format.choices)
    parts += [durations[d] for d in data["duree"]]
    parts += [formats[f] for f in data["format"]]
    if data["quand"]:
        parts.append(dict(Timing.CHOICES)[data["quand"]].lower())
    return ", ".join(parts)


def alert_create(*, user, data: QueryDict) -> Alert:
    """Save this search for the user (the same search twice: the alert they have)."""
    query = query_of(data)
    form = _form(query) if query else None
    if form is None:
        raise Refusal("Choisissez d'abord ce que vous cherchez : des mots, un thème, un lieu…")
    existing = Alert.objects.filter(user=user, query=query).first()
    if existing is not None:
        return existing
    if Alert.objects.filter(user=user).count() >= PER_USER:
        raise Refusal(
            f"Vous avez déjà {PER_USER} alertes : supprimez-en une dans vos préférences "
            "d'e-mails pour en créer une autre."
        )
    alert, _ = Alert.objects.get_or_create(
        user=user, query=query, defaults={"label": label_of(form)[:300]}
    )
    return alert


def alert_delete(*, user, alert_id: int) -> bool:
    deleted, _ = Alert.objects.filter(user=user, pk=alert_id).delete()
    return bool(deleted)


def new_promises(alert: Alert, *, until: datetime.datetime) -> list[int]:
    """The open promises published since the alert's mark and up to `until` that its search
    finds, that its owner may see and has not joined, best match first."""
    form = _form(alert.query)
    if form is None:  # a theme or a commune gone since: nothing matches any more
        return []
    data = form.cleaned_data
    promises = selectors.promises_search(
        user=alert.user,
        q=data["q"],
        theme=data["theme"],
        near=data["near"],
        answers=form.answers(),
    )
    joined = Pledge.objects.filter(user=alert.user).values("promise_id")
    found = promises.filter(
        state=Promise.State.OPEN,
        created_at__gt=alert.checked_until,
        created_at__lte=until,
    ).exclude(pk__in=joined)
    return list(found.values_list("pk", flat=True)[:PER_ALERT])


# --- The digest's source (notifications.kinds.Source) ---------------------------------------


def _users(until: datetime.datetime):
    return Alert.objects.filter(checked_until__lt=until).values("user_id")


def _collect(user, until: datetime.datetime) -> dict | None:
    """Called in the transaction that writes the digest: the alerts' marks move with it."""
    found = []
    with transaction.atomic():
        for alert in Alert.objects.select_for_update().filter(user=user, checked_until__lt=until):
            ids = new_promises(alert, until=until)
            alert.checked_until = until
            alert.save(update_fields=["checked_until"])
            if ids:
                found.append(
                    {"alert": alert.pk, "label": alert.label, "query": alert.query, "promises": ids}
                )
    return {"alerts": found} if found else None


def _context(user, data: dict) -> dict:
    """At send time: the promises still open and visible to the person."""
    ids = {pk for entry in data["alerts"] for pk in entry["promises"]}
    promises = {
        p.pk: p
        for p in Promise.objects.visible_to(user)
        .filter(pk__in=ids, state=Promise.State.OPEN)
        .select_related("commune")
    }
    alerts = []
    for entry in data["alerts"]:
        shown = [promises[pk] for pk in entry["promises"] if pk in promises]
        if shown:
            alerts.append(
                {
                    "label": entry["label"],
                    "search_url": absolute(reverse("promises:list")) + "?" + entry["query"],
                    "promises": [
                        {"promise": p, "url": absolute(p.get_absolute_url())} for p in shown
                    ],
                }
            )
    count = sum(len(a["promises"]) for a in alerts)
    if not count:
        return {}
    many = count > 1
    return {
        "alerts": alerts,
        "summary": f"{count} nouvelle{'s' if many else ''} promesse{'s' if many else ''} "
        "pour vos alertes",
    }


def _panel_context(user) -> dict:
    return {"alerts": list(Alert.objects.filter(user=user).order_by("-created_at"))}


TOPIC = Topic(
    TOPIC_ALERTS,
    "Alertes : les nouvelles promesses de mes recherches",
    order=100,
    default=Cadence.WEEKLY,
    cadences=(Cadence.DAILY, Cadence.WEEKLY, Cadence.NEVER),
    panel="promises/_alerts_panel.html",
    panel_context=_panel_context,
)
SOURCE = Source(
    SOURCE_ALERTS,
    TOPIC_ALERTS,
    users=_users,
    collect=_collect,
    context=_context,
    template="alerts",
)
