"""Nouvelles: the initiators' news, on the page, and emailed at most once a day."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import broadcast_create
from onpromet.photos import ProcessedPhoto

from .. import emails
from ..models import Promise, Update
from .base import lock, paris_day_start


def update_emailed_today(*, promise: Promise) -> bool:
    """Whether an update of this promise was already emailed today (Europe/Paris)."""
    since = paris_day_start(timezone.now())
    # Index update_promise_created: the newest updates of one promise.
    return promise.updates.filter(emailed=True, created_at__gte=since).exists()


@transaction.atomic
def update_create(
    *, promise: Promise, author: User, text: str, photo: ProcessedPhoto | None = None
) -> Update:
    """Nouvelles. At most one update per promise and day (Europe/Paris) is emailed: the check
    and the flag happen under the promise lock, so two updates posted in the same second
    cannot both be emailed."""
    locked = lock(promise)
    emailed = not update_emailed_today(promise=locked)
    update = Update(
        promise=locked, author=author, text=text, emailed=emailed, created_at=timezone.now()
    )
    if photo is not None:
        update.photo.save(photo.image.name, photo.image, save=False)
        update.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
    update.save()
    if emailed:
        broadcast_create(promise=locked, kind=emails.UPDATE, update=update)
    return update
