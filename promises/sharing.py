"""Sharing a promise, and knowing who brought whom.

- **The short link** `/p/<code>/` (Promise.short_code) leads to the promise: it is the address
  printed on posters and pictures, and sent by SMS.
- **The personal link** `/p/<code>/<token>/` (Pledge.share_token) is a participant's: a visitor
  who arrives through it and then pledges is credited to them. The token is random and says
  nothing of its owner; a wrong one leads to the promise all the same, so trying tokens
  teaches nothing.
- **Where a visitor came from** is kept in their session, per promise, from their first
  arrival (the first link wins): a personal link, the widget, a poster or a flyer
  (`?source=…`). It is read once, when their pledge is created, and stored on it
  (Pledge.source, Pledge.referred_by). That is all the tracking there is: nothing is kept
  about a visitor who does not pledge, beyond their session.
- **The rules of the credit**: one hop (who shared, not who shared to them); counted once (a
  visitor who had already pledged, even withdrawn, is not credited again); never to oneself;
  and only while the pledge is confirmed and not withdrawn (PledgeQuerySet.brought_by).
- **The share texts** say what the promise is now: a failed or cancelled promise is shared as
  what it is, not as "join us".
"""

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse

from onpromet.french import french_number, french_spacing, plural
from onpromet.site_url import absolute

from .models import Pledge, Promise

ARRIVALS_SESSION_KEY = "promise_arrivals"
# The promises a session remembers an arrival for: the oldest are forgotten first.
ARRIVALS_KEPT = 20
# ?source= values the promise page records (the widget's link, the posters' QR codes).
PAGE_SOURCES = {Pledge.Source.WIDGET, Pledge.Source.POSTER, Pledge.Source.FLYER}


# --- Links --------------------------------------------------------------------------------


def short_link(promise: Promise, token: str | None = None) -> str:
    """The promise's short link, personal when `token` is a participant's share token."""
    if token is None:
        return absolute(reverse("short_link", args=[promise.short_code]))
    return absolute(reverse("share_link", args=[promise.short_code, token]))


def typed_address(promise: Promise) -> str:
    """The short link without its scheme, to read on a poster or a picture and type:
    'onpromet.fr/p/k3x9qmt/'."""
    parts = urlsplit(short_link(promise))
    return parts.netloc + parts.path


# --- Where visitors come from ---------------------------------------------------------------


@dataclass(frozen=True)
class Arrival:
    source: str  # a Pledge.Source value
    sharer_id: int | None = None  # the pledge whose share link the visitor followed


def arrival_record(session: SessionBase, promise: Promise, arrival: Arrival) -> None:
    """Remember how this visitor first came to this promise; a later link changes nothing."""
    arrivals = session.get(ARRIVALS_SESSION_KEY, {})
    if str(promise.pk) in arrivals:
        return
    arrivals[str(promise.pk)] = [arrival.source, arrival.sharer_id]
    # Dicts keep their order (in the session's JSON too): the first keys are the oldest.
    session[ARRIVALS_SESSION_KEY] = dict(list(arrivals.items())[-ARRIVALS_KEPT:])


def arrival_take(session: SessionBase, promise: Promise) -> Arrival:
    """How this visitor came to this promise, forgotten once read (when they pledge)."""
    arrivals = session.get(ARRIVALS_SESSION_KEY, {})
    if str(promise.pk) not in arrivals:
        return Arrival(Pledge.Source.DIRECT)
    source, sharer_id = arrivals.pop(str(promise.pk))
    session[ARRIVALS_SESSION_KEY] = arrivals
    if source not in Pledge.Source.values:
        return Arrival(Pledge.Source.DIRECT)
    return Arrival(source, sharer_id if isinstance(sharer_id, int) else None)


def page_source(value: str) -> Arrival | None:
    """The arrival a promise page's ?source= names, if it is one the page records."""
    return Arrival(value) if value in PAGE_SOURCES else None


# --- What is shared ---------------------------------------------------------------------------


def share_text(promise: Promise) -> str:
    """The words that go with the link: the promise's sentence and where it stands now."""
    sentence = f"« {promise.sentence} »"
    progress = f"{french_number(promise.pledge_count)} / {french_number(promise.objective)}"
    if promise.is_hidden:
        news = ""
    elif promise.is_open and promise.accepts_pledges:
        missing = promise.missing_count
        news = (
            f"Déjà {progress} : plus que {french_number(missing)} "
            f"{plural(missing, 'personne', 'personnes')}. Et vous ?"
        )
    elif promise.is_open:
        news = f"La date limite est passée ({progress})."
    elif promise.state == Promise.State.REACHED:
        news = f"Objectif atteint ({progress}) ! On peut encore rejoindre l'action."
    elif promise.state == Promise.State.FAILED:
        news = f"L'objectif n'a pas été atteint à temps ({progress})."
    elif promise.state == Promise.State.CANCELLED:
        news = "Cette promesse a été annulée par ses initiateurs."
    else:
        news = "L'action a eu lieu : voici son bilan."
    return french_spacing(f"{sentence} {news}".strip())


def share_subject(promise: Promise) -> str:
    """The subject of the email a visitor sends."""
    if promise.accepts_pledges:
        return french_spacing("Une promesse à tenir ensemble, sur OnPromet")
    return french_spacing("Une promesse sur OnPromet")


@dataclass(frozen=True)
class ShareTarget:
    name: str  # what the link says: "WhatsApp"
    href: str
    phone_only: bool = False  # SMS: shown on small screens only


def share_targets(promise: Promise, url: str) -> list[ShareTarget]:
    """Plain links that open each network's or app's share box with the text and `url`:
    they work without JavaScript. Every parameter is percent-encoded."""
    words = share_text(promise)
    message = f"{words} {url}"
    body = f"{words}\n\n{url}"

    def enc(value: str) -> str:
        return quote(value, safe="")

    return [
        ShareTarget("WhatsApp", f"https://wa.me/?text={enc(message)}"),
        ShareTarget("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={enc(url)}"),
        ShareTarget("X", f"https://x.com/intent/post?text={enc(words)}&url={enc(url)}"),
        ShareTarget("Bluesky", f"https://bsky.app/intent/compose?text={enc(message)}"),
        ShareTarget("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={enc(url)}"),
        ShareTarget("Telegram", f"https://t.me/share/url?url={enc(url)}&text={enc(words)}"),
        ShareTarget(
            "E-mail",
            f"mailto:?subject={enc(share_subject(promise))}&body={enc(body)}",
        ),
        ShareTarget("SMS", f"sms:?&body={enc(message)}", phone_only=True),
    ]


def pledge_counted_message(promise: Promise) -> str:
    """What a person reads when their pledge starts to count: the moment to ask them to share
    while the promise still needs people ("Plus que 12 personnes : partagez-la !")."""
    counted = "Merci ! Votre promesse est comptée."
    missing = promise.missing_count
    if promise.is_open and missing:
        people = plural(missing, "personne", "personnes")
        return f"{counted} Plus que {french_number(missing)} {people} : partagez-la !"
    return counted


@dataclass(frozen=True)
class SharePanel:
    """What the share panel of a promise page shows (templates/promises/_share.html)."""

    promise: Promise
    url: str  # the visitor's link: personal for a participant, else the short link
    text: str
    targets: list[ShareTarget]
    widget_url: str
    brought: int  # the people the visitor's link brought (PledgeQuerySet.brought_by)

    @classmethod
    def of(cls, promise: Promise, *, token: str | None, brought: int = 0) -> "SharePanel":
        url = short_link(promise, token)
        return cls(
            promise=promise,
            url=url,
            brought=brought,
            text=share_text(promise),
            targets=share_targets(promise, url),
            widget_url=absolute(reverse("promises:widget", args=[promise.slug])),
        )

    @property
    def personal(self) -> bool:
        return self.url != short_link(self.promise)

    @property
    def heading(self) -> str:
        """ "Plus que 12 personnes : partagez-la" while the promise needs people."""
        promise = self.promise
        if promise.is_open and promise.accepts_pledges:
            missing = promise.missing_count
            people = plural(missing, "personne", "personnes")
            return f"Plus que {french_number(missing)} {people} : partagez-la"
        if promise.accepts_pledges:
            return "Faites-la connaître : on peut encore la rejoindre"
        return "Partager cette promesse"
