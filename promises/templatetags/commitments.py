"""Sponsors' commitments on the promise page, in the bilan and in the emails
(promises.commitments)."""

from django import template

from promises import commitments
from promises.figures import Figures
from promises.models import Commitment
from promises.permissions import PromiseAccess

register = template.Library()


@register.inclusion_tag("promises/_commitments.html", takes_context=True)
def promise_commitments(context, access: PromiseAccess) -> dict:
    """{% promise_commitments access %}: the accepted commitments, those waiting for the
    initiators (to them), "Votre organisation soutient cette promesse ?" (to organisations'
    admins). One query, two when the promise has commitments."""
    return {
        "promise": access.promise,
        "access": access,
        "on_page": commitments.page_commitments(access.promise, access.user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("promises/_commitments_recap.html")
def recap_commitments(figures: Figures) -> dict:
    """{% recap_commitments figures %}: in the bilan, what each accepted commitment comes to
    for the participants counted when the objective was reached (one query)."""
    promise = figures.promise
    shown = []
    if promise.objective_met:
        shown = list(
            Commitment.objects.filter(promise=promise).shown().select_related("organisation")
        )
    return {"commitments": shown, "participants": figures.at_reached or 0}


@register.filter
def commitment_terms(commitment: Commitment) -> str:
    """ "2 € par participant, 500 € au plus", "jusqu'à 500 €", or ""."""
    return commitments.terms(commitment)


@register.filter
def commitment_comes_to(commitment: Commitment, participants: int) -> str:
    """ "52 arbres", "500 € (le plafond)", or "" without an amount per participant."""
    return commitments.comes_to(commitment, participants)
