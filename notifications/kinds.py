"""The registry of email kinds and preference topics, after healthchecks' TRANSPORTS: one entry
per kind, given by the app that owns it from its AppConfig.ready(). The outbox reads nothing
else: what a broadcast of a kind says, to whom and how often comes from its entry; it adds on
its own only what holds for every kind (an active account, the user's choice for the topic).

A new kind is one Kind registered here plus its template triple templates/email/<name>.*.
Names and topic keys are stored (Broadcast.kind, EmailPreference.topic) and carried by
unsubscribe links: once used, never renamed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Broadcast


class NotRegistered(LookupError):
    """A broadcast or a link names a kind or a topic that no app registered."""


@dataclass(frozen=True)
class Topic:
    """What a user can turn on or off; every kind belongs to one. The preferences page lists
    topics by `order` (apps register theirs one after the other, in INSTALLED_APPS order)."""

    key: str
    label: str
    order: int
    default: bool = True  # no choice made: receives them


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


KINDS: dict[str, Kind] = {}
TOPICS: dict[str, Topic] = {}
# Stored in varchar(20) columns.
_MAX_LENGTH = 20


def register(*entries: Topic | Kind) -> None:
    """Add topics and kinds; a kind's topic must be registered first (by any app)."""
    for entry in entries:
        registry, key = (TOPICS, entry.key) if isinstance(entry, Topic) else (KINDS, entry.name)
        what = "topic" if registry is TOPICS else "kind"
        if key in registry:
            raise ImproperlyConfigured(f"The email {what} {key!r} is registered twice.")
        if len(key) > _MAX_LENGTH:
            raise ImproperlyConfigured(
                f"The email {what} {key!r} is over {_MAX_LENGTH} characters."
            )
        if isinstance(entry, Kind) and entry.topic not in TOPICS:
            raise ImproperlyConfigured(
                f"The email kind {key!r} has the topic {entry.topic!r}, which is not registered."
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


# Choices for Broadcast.kind and EmailPreference.topic (the admin's labels and filters, the
# preferences form): callables, read when used, so the models need not know the apps above.
def kind_choices() -> list[tuple[str, str]]:
    return [(k.name, k.label) for k in KINDS.values()]


def topic_choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in topics()]
