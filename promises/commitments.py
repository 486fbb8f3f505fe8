"""A sponsor's commitment (issue 15, part 6): an organisation backs a public promise with a
commitment of its own, "Si l'objectif est atteint, ACME plante un arbre par participant". An
admin of the organisation proposes it (/promesses/<slug>/engagement/), the initiators accept
or refuse it from the promise page (they get an email when one is proposed), the admin may
withdraw it until the objective is reached. Once accepted it is shown on the promise page, in
the "Objectif atteint" email and in the bilan, with what it comes to when an amount per
participant is given. It is only declared and displayed: OnPromet takes no payment.

Every change of a commitment bumps its promise's version (trigger of promises/migrations/0016),
so the cached promise page shows it on the next request. The decisions are taken under the
promise lock (services.base.lock), the one the transition to REACHED takes: nothing is
accepted, refused or withdrawn once the objective is reached, and the reached email, computed
afterwards, reads the commitments as they were when it was reached.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from notifications.services import broadcast_create
from onpromet.errors import Refusal
from onpromet.french import NBSP, french_number
from organisations.access import OrganisationAccess
from organisations.models import Membership, Organisation

from . import emails
from .models import Commitment, Promise
from .permissions import PromiseAccess
from .services.base import lock

NOT_OPEN = (
    "La promesse n'est plus ouverte : les engagements ne peuvent plus être proposés, acceptés, "
    "refusés ni retirés."
)
NOT_PUBLIC = "Seule une promesse publique peut recevoir l'engagement d'une organisation."
NOT_ADMIN = "Seuls les admins de l'organisation peuvent engager l'organisation."
NOT_INITIATOR = "Seuls les initiateurs de la promesse peuvent accepter ou refuser un engagement."
ALREADY = "{name} a déjà un engagement proposé ou accepté pour cette promesse."
NOT_PROPOSED = "Cet engagement n'attend plus de réponse."
NOT_LIVE = "Cet engagement est déjà retiré ou refusé."


# --- Who may do what -----------------------------------------------------------------------


def sponsorable(promise: Promise) -> bool:
    """An organisation may back it now: public, open before its deadline, not hidden."""
    return (
        promise.visibility == Promise.Visibility.PUBLIC
        and promise.is_open
        and not promise.deadline_passed
        and not promise.is_hidden
    )


def admin_organisations(user: User):
    """The organisations this person administers and may engage: neither deactivated nor
    hidden by the moderators (a commitment of theirs would not be shown)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    admin = Membership.objects.admins().filter(organisation=OuterRef("pk"), user=user)
    return Organisation.objects.filter(Exists(admin), is_active=True, is_hidden=False).order_by(
        "name"
    )


def propose_refusal(*, organisation: Organisation, promise: Promise, user: User) -> str:
    """Why this person may not propose a commitment of this organisation now ("" if they may)."""
    if promise.visibility != Promise.Visibility.PUBLIC:
        return NOT_PUBLIC
    if not sponsorable(promise):
        return NOT_OPEN
    if not (
        organisation.is_active
        and not organisation.is_hidden
        and OrganisationAccess.of(organisation, user).can_manage
    ):
        return NOT_ADMIN
    return ""


# --- Services --------------------------------------------------------------------------------


@transaction.atomic
def commitment_propose(
    *,
    organisation: Organisation,
    promise: Promise,
    user: User,
    text: str,
    amount: Decimal | None = None,
    unit: str = "",
    cap: Decimal | None = None,
) -> Commitment:
    """An admin of the organisation proposes it; the initiators are told by email."""
    promise = lock(promise)
    refusal = propose_refusal(organisation=organisation, promise=promise, user=user)
    if refusal:
        raise Refusal(refusal)
    try:
        # A savepoint: a second live commitment of the organisation (two submissions at once)
        # fails on commitment_live_once without spoiling the transaction.
        with transaction.atomic():
            commitment = Commitment.objects.create(
                organisation=organisation,
                promise=promise,
                text=text,
                amount=amount,
                unit=unit,
                cap=cap,
                proposed_by=user,
            )
    except IntegrityError:
        raise Refusal(ALREADY.format(name=organisation.name)) from None
    broadcast_create(promise=promise, kind=emails.COMMITMENT_PROPOSED)
    return commitment


def _locked(commitment: Commitment) -> tuple[Commitment, Promise]:
    """The promise locked first (the order of every service), then the commitment read again."""
    promise = lock(commitment.promise)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not promise.is_open:
        raise Refusal(NOT_OPEN)
    return commitment, promise


def _decide(commitment: Commitment, user: User, state: str) -> Commitment:
    commitment, promise = _locked(commitment)
    if not PromiseAccess.of(promise, user).is_initiator:
        raise Refusal(NOT_INITIATOR)
    if commitment.state != Commitment.State.PROPOSED:
        raise Refusal(NOT_PROPOSED)
    commitment.state = state
    commitment.decided_by = user
    commitment.decided_at = timezone.now()
    commitment.save(update_fields=["state", "decided_by", "decided_at"])
    return commitment


@transaction.atomic
def commitment_accept(*, commitment: Commitment, user: User) -> Commitment:
    return _decide(commitment, user, Commitment.State.ACCEPTED)


@transaction.atomic
def commitment_refuse(*, commitment: Commitment, user: User) -> Commitment:
    return _decide(commitment, user, Commitment.State.REFUSED)


@transaction.atomic
def commitment_withdraw(*, commitment: Commitment, user: User) -> Commitment:
    """An admin of the organisation takes it back, proposed or accepted, until the objective
    is reached: the participants who joined for it were told only "si l'objectif est atteint"."""
    commitment, _ = _locked(commitment)
    if not OrganisationAccess.of(commitment.organisation, user).can_manage:
        raise Refusal(NOT_ADMIN)
    if not commitment.is_live:
        raise Refusal(NOT_LIVE)
    commitment.state = Commitment.State.WITHDRAWN
    commitment.withdrawn_at = timezone.now()
    commitment.save(update_fields=["state", "withdrawn_at"])
    return commitment


def commitment_withdraw_by_moderation(*, commitment: Commitment) -> bool:
    """Moderators take back a live commitment (abusive words, an organisation that is not who
    it says), whatever the promise's state; the page shows it no more."""
    return bool(
        Commitment.objects.filter(pk=commitment.pk, state__in=Commitment.LIVE_STATES).update(
            state=Commitment.State.WITHDRAWN, withdrawn_at=timezone.now()
        )
    )


# --- The promise page ------------------------------------------------------------------------

# The states whose page shows the accepted commitments: the objective still to reach, or met.
SHOWN_STATES = (Promise.State.OPEN, Promise.State.REACHED, Promise.State.FINISHED)


@dataclass(frozen=True)
class OnPage:
    shown: list  # accepted: everyone reads them
    proposed: list  # waiting for the initiators' answer: shown to them only
    # The visitor administers an organisation that may back the promise now: "Votre
    # organisation soutient cette promesse ?"
    sponsor: bool


_NOTHING = OnPage(shown=[], proposed=[], sponsor=False)
# Where a request keeps what it read (on its user object): the cache key's hook asks first,
# on the page's light promise (id and version only), and the page's tag then uses the same
# answer: one query for both.
_MEMO = "_commitments_on_page"


def _viewer_facts(promise: Promise, user) -> tuple[bool, bool]:
    """(the visitor may back the promise for an organisation now, the promise has live
    commitments), in one query that reads nothing of the promise already loaded: the cache
    key's hook has only its id and version."""
    memo = getattr(user, _MEMO, None) or {}
    key = (promise.pk, promise.version)
    if key not in memo:
        may_back = Q(
            visibility=Promise.Visibility.PUBLIC,
            state=Promise.State.OPEN,
            is_hidden=False,
            deadline__gt=timezone.now(),
        ) & Q(Exists(admin_organisations(user)))
        live = Commitment.objects.filter(promise=OuterRef("pk")).live()
        memo = {
            **memo,
            key: Promise.objects.filter(pk=promise.pk)
            .annotate(
                sponsor=ExpressionWrapper(may_back, output_field=BooleanField()),
                has_live=Exists(live),
            )
            .values_list("sponsor", "has_live")
            .get(),
        }
        setattr(user, _MEMO, memo)
    return memo[key]


def page_commitments(promise: Promise, user) -> OnPage:
    """What the promise page shows of commitments to this visitor: one query, and one more
    when the promise has some (nearly none has); nothing for a promise failed or cancelled."""
    if promise.state not in SHOWN_STATES:
        return _NOTHING
    live = Commitment.objects.filter(promise=promise).live()
    sponsor = False
    if user.is_authenticated:
        sponsor, has_live = _viewer_facts(promise, user)
        rows = list(live.select_related("organisation")) if has_live else []
    else:
        rows = list(live.select_related("organisation"))
    return OnPage(
        shown=[c for c in rows if _is_shown(c)],
        proposed=[
            c
            for c in rows
            if c.state == Commitment.State.PROPOSED and promise.is_open and _is_active(c)
        ],
        sponsor=sponsor,
    )


def _is_active(commitment: Commitment) -> bool:
    organisation = commitment.organisation
    return organisation.is_active and not organisation.is_hidden


def _is_shown(commitment: Commitment) -> bool:
    """Commitment.objects.shown(), in Python, on rows already read."""
    return commitment.state == Commitment.State.ACCEPTED and _is_active(commitment)


def sponsor_viewer(access: PromiseAccess) -> bool:
    """The page cache's hook (caching.register_personal): an admin of an organisation gets a
    page of their own, with "Votre organisation soutient cette promesse ?", on a promise that
    an organisation may back now."""
    if not access.user.is_authenticated:
        return False
    return _viewer_facts(access.promise, access.user)[0]


# --- Wording ---------------------------------------------------------------------------------


def quantity(value: Decimal, unit: str) -> str:
    """ "2 €", "2,50 €", "1 arbre", "52 arbres", "1,5 kilo de riz" (French numbers)."""
    value = Decimal(value)
    whole = value == value.to_integral_value()
    if not unit:
        number = french_number(int(value)) if whole else f"{value:.2f}".replace(".", ",")
        return f"{number}{NBSP}€"
    number = french_number(int(value)) if whole else french_number(float(value.normalize()))
    return f"{number} {unit_plural(unit) if value >= 2 else unit}"


# Words after which a unit's words stay as they are: "kilos de riz", "heures de bénévolat".
_COMPLEMENT_STARTS = ("de", "d'", "du", "des", "à", "au", "aux", "pour", "en")
_AL_S = ("bal", "carnaval", "chacal", "festival", "récital", "régal")


def _word_plural(word: str) -> str:
    lowered = word.lower()
    if lowered.endswith(("s", "x", "z")):
        return word
    if lowered.endswith(("au", "eu")) and lowered not in ("pneu", "bleu"):
        return word + "x"
    if lowered.endswith("al") and lowered not in _AL_S:
        return word[:-2] + "aux"
    return word + "s"


def unit_plural(unit: str) -> str:
    """French plural of a unit typed in the singular: "arbre" → "arbres", "repas" → "repas",
    "arbre fruitier" → "arbres fruitiers", "kilo de riz" → "kilos de riz"."""
    words = unit.split()
    for i, word in enumerate(words):
        if word.lower() in _COMPLEMENT_STARTS or word.lower().startswith("d'"):
            break
        words[i] = _word_plural(word)
    return " ".join(words)


def terms(commitment: Commitment) -> str:
    """The figures of a commitment, as a line under its sentence: "2 € par participant, 500 €
    au plus", "jusqu'à 500 €", or "" without figures."""
    unit = commitment.unit
    if commitment.amount is not None:
        line = f"{quantity(commitment.amount, unit)} par participant"
        if commitment.cap is not None:
            line += f", {quantity(commitment.cap, unit)} au plus"
        return line
    if commitment.cap is not None:
        return f"jusqu'à {quantity(commitment.cap, unit)}"
    return ""


def comes_to(commitment: Commitment, participants: int) -> str:
    """What it comes to for the participants counted at the objective: "52 arbres", "500 €
    (le plafond)", or "" without an amount."""
    total = commitment.comes_to(participants)
    if total is None:
        return ""
    written = quantity(total, commitment.unit)
    capped = commitment.cap is not None and commitment.amount * participants > commitment.cap
    return f"{written} (le plafond)" if capped else written


# --- The form --------------------------------------------------------------------------------


class CommitmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez une de vos organisations."},
    )
    text = forms.CharField(
        label="Si l'objectif est atteint, votre organisation…",
        max_length=Commitment.TEXT_MAX_LENGTH,
        min_length=5,
        help_text="Par exemple « plante un arbre par participant » ou « donne 2 € par "
        "participant à l'association X ».",
    )
    amount = forms.DecimalField(
        label="Quantité par participant (facultatif)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text="Pour que le bilan calcule ce que cela représente : 1 pour un arbre par "
        "participant, 2 pour 2 €.",
    )
    unit = forms.CharField(
        label="Unité (facultatif)",
        max_length=30,
        required=False,
        help_text="Au singulier, par exemple « arbre ». Laissez vide pour des euros.",
    )
    cap = forms.DecimalField(
        label="Plafond (facultatif)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text="Au plus, en tout, dans la même unité.",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split()).rstrip(".")
        # "Plante un arbre" follows the organisation's name: "ACME plante un arbre". An
        # acronym ("ONF") keeps its capitals.
        if len(text) > 1 and text[0].isupper() and text[1].islower():
            text = text[0].lower() + text[1:]
        return text

    def clean_unit(self) -> str:
        return " ".join(self.cleaned_data["unit"].split())
