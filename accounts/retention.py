"""Retention: what ages out on its own. Accounts whose address was never confirmed are deleted
30 days after sign-up, with what hangs from them (their pledges, still pending: they never
counted). The data exports' archives go after 7 days (accounts.export.data_exports_purge).

Apps above accounts may keep an account from this deletion (it holds something the
deletion must not take away silently: a pledge that counted, a promise it started): they
register a keeper from their AppConfig.ready().
"""

import datetime
import logging
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .models import User

logger = logging.getLogger(__name__)

UNCONFIRMED_KEPT = datetime.timedelta(days=30)
BATCH_SIZE = 500

# Each keeper: () → a queryset of one column, the ids of the users never to delete here.
KEEPERS: list[Callable[[], QuerySet]] = []


def keeper_register(*keepers: Callable[[], QuerySet]) -> None:
    KEEPERS.extend(keepers)


def unconfirmed_accounts() -> QuerySet:
    """Accounts with no confirmed address, signed up more than 30 days ago; never staff."""
    confirmed = EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True)
    users = User.objects.filter(
        date_joined__lt=timezone.now() - UNCONFIRMED_KEPT, is_staff=False, is_superuser=False
    ).exclude(Exists(confirmed))
    for keeper in KEEPERS:
        users = users.exclude(pk__in=keeper())
    return users


def unconfirmed_accounts_delete(*, batch_size: int = BATCH_SIZE) -> int:
    """Delete them, a batch per transaction (each batch reads the rule again, so an address
    confirmed meanwhile saves its account). Returns how many were deleted."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                unconfirmed_accounts()
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            User.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
        if len(ids) < batch_size:
            break
    logger.info("Retention: %d unconfirmed account(s) deleted", deleted)
    return deleted
