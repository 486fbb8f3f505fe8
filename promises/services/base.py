"""What every promise service shares: the lock, the counter, the day in Paris."""

import datetime

from django.db.models import F
from django.utils import timezone

from ..models import Promise


def lock(promise: Promise) -> Promise:
    return Promise.objects.select_for_update().get(pk=promise.pk)


def count_in(promise: Promise, delta: int) -> None:
    """Move the counter by delta. `promise` is the row read under the promise lock, which the
    caller holds: nobody else moves the counter until it commits, so the row's value plus delta
    is the new one, with no need to read it again."""
    Promise.objects.filter(pk=promise.pk).update(pledge_count=F("pledge_count") + delta)
    promise.pledge_count += delta


def paris_day_start(moment: datetime.datetime) -> datetime.datetime:
    """Midnight in Europe/Paris of the day of `moment` (the site's time zone)."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
