"""The bilan (recap). Written by the initiators once the objective is reached; publishing it
finishes the promise and emails it to every participant, abandoners included. The figures
beside the text are computed, never stored (promises.figures)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import broadcast_create
from onpromet.errors import Refusal

from .. import emails
from ..models import Promise, Recap
from .base import lock

RECAP_WAITS = "Le bilan s'écrit une fois l'objectif atteint."


def recap_write_refusal(*, promise: Promise) -> str:
    """Why the bilan cannot be written now, or "": a failed or cancelled promise has no
    action to report on."""
    return "" if promise.objective_met else RECAP_WAITS


def recap_publish_refusal(*, promise: Promise, recap: Recap | None) -> str:
    """Why the bilan cannot be published now, or "": the page says it before the click, and
    recap_publish says it again under the lock."""
    if promise.state == Promise.State.FINISHED or (recap and recap.is_published):
        return "Le bilan est déjà publié."
    if not promise.objective_met:
        return RECAP_WAITS
    if recap is None or not recap.text.strip():
        return "Écrivez d'abord le bilan, puis publiez-le."
    return ""


@transaction.atomic
def recap_save(*, promise: Promise, author: User, text: str) -> Recap:
    """Write or correct the bilan's text. Once published, a correction is shown on the page
    but not emailed again."""
    locked = lock(promise)
    refusal = recap_write_refusal(promise=locked)
    if refusal:
        raise Refusal(refusal)
    recap, created = Recap.objects.get_or_create(
        promise=locked, defaults={"text": text, "author": author}
    )
    if not created:
        recap.text = text
        recap.save(update_fields=["text", "updated_at"])
    return recap


@transaction.atomic
def recap_publish(*, promise: Promise) -> Recap:
    """Publish the bilan: the promise becomes FINISHED (one conditional UPDATE from REACHED, so
    two initiators clicking at once publish once) and the RECAP broadcast is written in the same
    transaction. A failed or cancelled promise has no action to report on: no bilan."""
    locked = lock(promise)
    recap = Recap.objects.filter(promise=locked).first()
    refusal = recap_publish_refusal(promise=locked, recap=recap)
    if refusal:
        raise Refusal(refusal)
    now = timezone.now()
    finished = Promise.objects.filter(pk=locked.pk, state=Promise.State.REACHED).update(
        state=Promise.State.FINISHED, finished_at=now
    )
    if not finished:  # Cannot happen under the lock; kept as the rule's last word.
        raise Refusal("Le bilan est déjà publié.")
    recap.published_at = now
    recap.save(update_fields=["published_at", "updated_at"])
    locked.state, locked.finished_at = Promise.State.FINISHED, now
    broadcast_create(promise=locked, kind=emails.RECAP)
    return recap
