import datetime
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .storage import private_storage

ANONYMOUS_NAME = "Anonyme"
# The name of an account its owner deleted (accounts.deletion): its pledges stay on the
# promises they helped reach, under this name.
DELETED_NAME = "Compte supprimé"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an email address; shown by a display name or as "Anonyme"."""

    email = models.EmailField("adresse e-mail", unique=True)
    display_name = models.CharField(
        "nom affiché",
        max_length=60,
        help_text="Le nom que les autres voient sur les promesses (prénom, pseudonyme…).",
    )
    appears_anonymously = models.BooleanField(
        "apparaître comme « Anonyme »",
        default=False,
        help_text="Votre nom est remplacé par « Anonyme » dans les listes de participants.",
    )
    is_staff = models.BooleanField("modérateur", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # Set when the account is deleted (accounts.deletion): the row stays, as a tombstone
    # without personal data, so that the pledges counted with it stay counted.
    deleted_at = models.DateTimeField("supprimé le", null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        """The name shown to others on participant lists."""
        if self.deleted_at is not None:
            return DELETED_NAME
        if self.appears_anonymously or not self.display_name:
            return ANONYMOUS_NAME
        return self.display_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name


def export_token_new() -> str:
    """The secret of an archive's download link: 43 random characters."""
    return secrets.token_urlsafe(32)


class DataExport(models.Model):
    """« Télécharger mes données »: one request for the archive of what we hold about a person,
    built by a worker (accounts.export), announced by email, downloadable by its owner only,
    for VALIDITY; the beat then deletes it with its file."""

    VALIDITY = datetime.timedelta(days=7)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    # In the download link (/moi/donnees/<token>/), which also checks that the visitor is
    # the owner: the token only keeps the ids of the exports out of the address.
    token = models.CharField(max_length=64, unique=True, editable=False, default=export_token_new)
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    ready_at = models.DateTimeField("prête le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    # Never under MEDIA_ROOT, which is served to anyone (accounts/storage.py).
    file = models.FileField("archive", storage=private_storage, upload_to="exports/", blank=True)

    class Meta:
        verbose_name = "archive de données"
        verbose_name_plural = "archives de données"
        indexes = [
            # The page's last request and the once-a-day check: a user's newest exports.
            models.Index(fields=["user", "-created_at"], name="dataexport_user_created"),
            # The beat's pick-up of archives not built yet (the broker was down, a worker died).
            models.Index(
                fields=["created_at"],
                condition=models.Q(ready_at__isnull=True),
                name="dataexport_not_ready",
            ),
            # The beat's deletion of expired archives.
            models.Index(fields=["expires_at"], name="dataexport_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:data_download", args=[self.token])

    @property
    def is_ready(self) -> bool:
        return self.ready_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_downloadable(self) -> bool:
        return self.is_ready and not self.is_expired and bool(self.file)
