"""Deleting an account (RGPD), by its owner on /moi/supprimer/ or by a moderator in the admin.

A deleted account is a tombstone, not a DELETE: the User row stays, so that the pledges that
helped reach an objective stay counted (every counter still equals its COUNT(*)) and figures
and bilans stay true; but the row no longer holds anything personal (address, name, password,
rights) and is shown as "Compte supprimé" (User.public_name).

What the apps above accounts hold of the person (pledges, promises led, posts and photos,
preferences…), they erase themselves: each registers an Eraser from its AppConfig.ready(), as
the outbox's kinds are registered (notifications.kinds). account_delete runs them all, then
empties the row, in one transaction: either everything is erased, or nothing is.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from onpromet.errors import Refusal

from .models import DataExport, User


@dataclass(frozen=True)
class Eraser:
    """What one app erases of a person. `erase(user)` runs inside account_delete's transaction,
    before the row is emptied (the person's address is still on it, e.g. for the invitations
    sent to it); erasers run by `order`, lowest first."""

    key: str
    order: int
    erase: Callable[[User], None]


ERASERS: dict[str, Eraser] = {}


def register(*erasers: Eraser) -> None:
    for eraser in erasers:
        if eraser.key in ERASERS:
            raise ImproperlyConfigured(f"The account eraser {eraser.key!r} is registered twice.")
        ERASERS[eraser.key] = eraser


def erasers() -> list[Eraser]:
    return sorted(ERASERS.values(), key=lambda eraser: eraser.order)


# --- Who may delete which account ---------------------------------------------------------

ALREADY_DELETED = "Ce compte est déjà supprimé."


def account_delete_refusal(*, user: User, by: User | None = None) -> str:
    """Why `by` (None: the person themselves) may not delete this account, or "". The admin
    says it before the confirmation, and account_delete says it again under the lock."""
    if user.deleted_at is not None:
        return ALREADY_DELETED
    if by is None:
        return ""
    if by.pk == user.pk:
        return (
            "Vous ne pouvez pas supprimer votre propre compte depuis l'administration : "
            "passez par la page « Supprimer mon compte »."
        )
    if not by.is_staff:
        return "Seule la modération peut supprimer le compte de quelqu'un d'autre."
    if (user.is_staff or user.is_superuser) and not by.is_superuser:
        return "Seul un superutilisateur peut supprimer le compte d'un membre de l'équipe."
    return ""


# --- The deletion -------------------------------------------------------------------------


def placeholder_email(user: User) -> str:
    """Unique (the pk) and undeliverable (.invalid is reserved by RFC 2606), with a random part
    so that nobody can sign up with it first and make the deletion fail on the unique
    column."""
    return f"compte-supprime-{user.pk}-{secrets.token_hex(6)}@supprime.invalid"


def _forget_login_failures(email: str) -> None:
    """django-axes keeps the admin log-in failures by address and IP."""
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=email).delete()


def _exports_delete(user: User) -> None:
    """The archives of "Télécharger mes données" hold everything: they go, files included,
    once the transaction commits (a storage is not transactional)."""
    exports = list(DataExport.objects.filter(user=user))
    files = [(export.file.storage, export.file.name) for export in exports if export.file]
    DataExport.objects.filter(pk__in=[export.pk for export in exports]).delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def account_delete(*, user: User, by: User | None = None) -> User:
    """Delete the account of `user`, asked by them (by=None) or by a moderator (by=...): run
    every app's eraser, then empty the row. Returns the tombstone.

    The row is locked first: the person and a moderator (or two tabs) deleting at once
    delete once. Its password is made unusable, which ends every session of the account
    (Django's session auth hash is derived from the password, and an inactive account is
    refused anyway); the view logs the current request out."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    refusal = account_delete_refusal(user=locked, by=by)
    if refusal:
        raise Refusal(refusal)

    for eraser in erasers():
        eraser.erase(locked)

    EmailAddress.objects.filter(user=locked).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=locked).delete()
    _forget_login_failures(locked.email)
    _exports_delete(locked)

    locked.email = placeholder_email(locked)
    locked.display_name = ""
    locked.appears_anonymously = True
    locked.set_unusable_password()
    locked.is_active = locked.is_staff = locked.is_superuser = False
    locked.deleted_at = timezone.now()
    locked.save(
        update_fields=[
            "email",
            "display_name",
            "appears_anonymously",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "deleted_at",
        ]
    )
    locked.groups.clear()
    locked.user_permissions.clear()
    return locked
