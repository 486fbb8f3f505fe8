"""The registry of email kinds and preference topics, after healthchecks' TRANSPORTS: one entry
per kind, given by the app that owns it from its AppConfig.ready(). The outbox reads nothing
else: what a broadcast of a kind says, to whom and how often comes from its entry; it adds on
its own only what holds for every kind (an active account, the user's choice for the topic).

A new kind is one Kind registered here plus its template triple templates/email/<name>.*;
a kind whose topic may come as a digest also has its digest entry, templates/email/digest/
<name>.html and .txt (a few lines under its promise's heading). Content of a digest that is
not a broadcast (the search alerts) is a Source. Names and keys are stored (Broadcast.kind,
EmailPreference.topic, Digest.sources) and carried by unsubscribe links: once used, never
renamed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Broadcast


class NotRegistered(LookupError):
    """A broadcast or a link names a kind or a topic that no app registered."""


class Cadence(models.TextChoices):
    """How often a person gets a topic's emails: each one as it happens, gathered in one digest
    a day or a week (notifications.digests), or not at all."""

    IMMEDIATE = "immediate", "À chaque fois"
    DAILY = "daily", "Un résumé par jour"
    WEEKLY = "weekly", "Un résumé par semaine"
    NEVER = "never", "Jamais"


# What happens once (the objective reached, the reminder, the bilan) cannot wait for a digest.
EACH_TIME_OR_NEVER = (Cadence.IMMEDIATE, Cadence.NEVER)
ANY_CADENCE = (Cadence.IMMEDIATE, Cadence.DAILY, Cadence.WEEKLY, Cadence.NEVER)
DIGESTS = (Cadence.DAILY, Cadence.WEEKLY)


@dataclass(frozen=True)
class Topic:
    """What a user chooses the cadence of; every kind belongs to one. The preferences page lists
    topics by `order` (apps register theirs one after the other, in INSTALLED_APPS order).

    cadences: the choices offered, `default` among them (no choice made: the default).
    panel: a template shown under the topic on the preferences page, given panel_context(user)
        (the search alerts list themselves there).
    """

    key: str
    label: str
    order: int
    default: str = Cadence.IMMEDIATE
    cadences: tuple[str, ...] = EACH_TIME_OR_NEVER
    panel: str = ""
    panel_context: "Callable[[object], dict] | None" = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.default not in self.cadences:
            raise ImproperlyConfigured(
                f"The email topic {self.key!r} defaults to {self.default!r}, not one of its "
                f"cadences {self.cadences!r}."
            )

    @property
    def digestible(self) -> bool:
        return any(cadence in DIGESTS for cadence in self.cadences)

    def cadence_choices(self) -> list[tuple[str, str]]:
        return [(c, Cadence(c).label) for c in self.cadences]


@dataclass(frozen=True)
class Kind:
    """One email kind.

    recipients(broadcast): a queryset of one column, the ids of the users the broadcast is
        for. Run to expand it, and again at send time for each batch, so that someone no
        longer concerned is skipped; the outbox keeps only active accounts that did not turn
        the topic off, and the broadcast's single recipient if it has one.
    context(broadcast): the template context, computed once per broadcast. The templates use
        nothing of `user` but `user.display_name` (BroadcastEmails fills it in per person).
    variants(broadcast, user_ids): for the few kinds whose email differs by recipient, the
        template each of these users gets instead of `template` (absent: `template`). Called
        once per batch, so one query at most per batch, never one per recipient.
    once_per_promise: the event happens once per promise (reached, failed…): so does its
        broadcast, whatever the number of calls (Broadcast's unique constraint decides).
    """

    name: str
    label: str
    topic: str
    recipients: "Callable[[Broadcast], QuerySet]"
    context: "Callable[[Broadcast], dict]"
    once_per_promise: bool = False
    template: str = ""  # the template triple's name: the kind's name unless said otherwise
    variants: "Callable[[Broadcast, set[int]], dict[int, str]] | None" = field(default=None)

    def __post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", self.name)


@dataclass(frozen=True)
class Source:
    """Digest content that no broadcast carries: an app's own query, run when a digest is built
    (the search alerts: the new promises matching a saved search).

    users(until): a queryset of user ids who may have something new before `until` (those
        with a saved search not looked at up to then).
    collect(user, until): what is new for this person up to `until`, as JSON-able data, or
        None when nothing is; it marks what it took (called once per person and period, in
        the transaction that writes the digest: whatever it took is in exactly one digest).
    context(user, data): the digest template's context for that data, at send time.
    template: templates/email/digest/<template>.html and .txt.
    """

    key: str
    topic: str
    users: "Callable[[object], QuerySet]"
    collect: "Callable[[object, object], object]"
    context: "Callable[[object, object], dict]"
    template: str


KINDS: dict[str, Kind] = {}
TOPICS: dict[str, Topic] = {}
SOURCES: dict[str, Source] = {}
# Stored in varchar(20) columns.
_MAX_LENGTH = 20


def register(*entries: Topic | Kind | Source) -> None:
    """Add topics, kinds and sources; a kind's or a source's topic must be registered first (by
    any app)."""
    for entry in entries:
        if isinstance(entry, Topic):
            registry, key, what = TOPICS, entry.key, "topic"
        elif isinstance(entry, Kind):
            registry, key, what = KINDS, entry.name, "kind"
        else:
            registry, key, what = SOURCES, entry.key, "source"
        if key in registry:
            raise ImproperlyConfigured(f"The email {what} {key!r} is registered twice.")
        if len(key) > _MAX_LENGTH:
            raise ImproperlyConfigured(
                f"The email {what} {key!r} is over {_MAX_LENGTH} characters."
            )
        if not isinstance(entry, Topic) and entry.topic not in TOPICS:
            raise ImproperlyConfigured(
                f"The email {what} {key!r} has the topic {entry.topic!r}, which is not registered."
            )
        registry[key] = entry


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise NotRegistered(
            f"No email kind {name!r} is registered (an app registers its kinds from its "
            "AppConfig.ready(), with notifications.kinds.register)."
        ) from None


def topic(key: str) -> Topic:
    try:
        return TOPICS[key]
    except KeyError:
        raise NotRegistered(f"No email topic {key!r} is registered.") from None


def topics() -> list[Topic]:
    return sorted(TOPICS.values(), key=lambda t: t.order)


def kinds_of(topic_key: str) -> list[str]:
    return [k.name for k in KINDS.values() if k.topic == topic_key]


def sources() -> list[Source]:
    return list(SOURCES.values())


# Choices for Broadcast.kind and EmailPreference.topic (the admin's labels and filters, the
# preferences form): callables, read when used, so the models need not know the apps above.
def kind_choices() -> list[tuple[str, str]]:
    return [(k.name, k.label) for k in KINDS.values()]


def topic_choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in topics()]
