"""The access matrix's rows for the commitments pages (run by test_gate_access.py): only an
admin of an organisation proposes and withdraws its commitment (ACME's admin here; the admin
of another organisation may engage only their own), only the initiators accept or refuse it,
and a promise for members only, or one the visitor may not see, has no commitment page."""

from django.urls import reverse

from onpromet.tests.access import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    Row,
    World,
    _cells,
)
from promises.models import Commitment

ORG_ADMINS = _cells(anonymous=LOGIN, others=FORBIDDEN, org_admin=OK, other_admin=OK)
ACME_ADMIN = _cells(anonymous=LOGIN, others=FORBIDDEN, org_admin=OK)
INITIATOR = _cells(anonymous=LOGIN, others=FORBIDDEN, initiator=OK)


def _page(w: World) -> str:
    return reverse("promises:detail", args=[w.open.slug])


def _form(w: World) -> str:
    return reverse("promises:commitment", args=[w.open.slug])


def _proposed(w: World) -> Commitment:
    """ACME's commitment on the open promise, waiting for the initiator (made by the row's URL,
    before stored() is read)."""
    commitment, _ = Commitment.objects.get_or_create(
        organisation=w.org,
        promise=w.open,
        state=Commitment.State.PROPOSED,
        defaults={"text": "plante un arbre par participant", "proposed_by": w.users["org_admin"]},
    )
    return commitment


def _action_url(name: str):
    return lambda w: reverse(f"promises:{name}", args=[w.open.slug, _proposed(w).pk])


def _state(w: World) -> str:
    return Commitment.objects.get(organisation=w.org, promise=w.open).state


ROWS = [
    Row("commitment form", "GET", _form, ORG_ADMINS),
    Row(
        "commitment propose",
        "POST",
        _form,
        ACME_ADMIN,
        data=lambda w: {"organisation": w.org.pk, "text": "plante un arbre par participant"},
        to=_page,
        done=lambda w, visitor: _state(w) == Commitment.State.PROPOSED,
    ),
    Row(
        "commitment accept",
        "POST",
        _action_url("commitment_accept"),
        INITIATOR,
        to=_page,
        done=lambda w, visitor: _state(w) == Commitment.State.ACCEPTED,
    ),
    Row(
        "commitment refuse",
        "POST",
        _action_url("commitment_refuse"),
        INITIATOR,
        to=_page,
        done=lambda w, visitor: _state(w) == Commitment.State.REFUSED,
    ),
    Row(
        "commitment withdraw",
        "POST",
        _action_url("commitment_withdraw"),
        ACME_ADMIN,
        to=_form,
        done=lambda w, visitor: _state(w) == Commitment.State.WITHDRAWN,
    ),
    # A promise for ACME's members only takes no commitment: no page, even for its admin.
    Row(
        "commitment form, members-only promise",
        "GET",
        lambda w: reverse("promises:commitment", args=[w.internal.slug]),
        _cells(anonymous=LOGIN, others=NOT_FOUND),
    ),
    # A hidden promise: 404 for whoever may not see it; those who may (its initiator, staff)
    # administer no organisation.
    Row(
        "commitment form, hidden promise",
        "GET",
        lambda w: reverse("promises:commitment", args=[w.hidden.slug]),
        _cells(
            anonymous=LOGIN,
            others=NOT_FOUND,
            initiator=FORBIDDEN,
            moderator=FORBIDDEN,
            superuser=FORBIDDEN,
        ),
    ),
]
