"""Associations, companies and public bodies that mobilise their people (issue 15): the
organisation, its members with their roles, and the invitations by email. The promises in an
organisation's name are promises.Promise.organisation, whose visibility (public, or members
only) promises.models.PromiseQuerySet.visible_to() decides from Membership."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def join_token_new() -> str:
    return secrets.token_urlsafe(16)


def invitation_token_new() -> str:
    return secrets.token_urlsafe(24)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", "association"
        COMPANY = "entreprise", "entreprise"
        PUBLIC_BODY = "collectivite", "collectivité"

    name = models.CharField("nom", max_length=120)
    slug = models.SlugField("adresse", max_length=80, unique=True)
    kind = models.CharField("type", max_length=12, choices=Kind)
    description = models.TextField("présentation", blank=True, max_length=3000)
    website = models.URLField("site web", blank=True)
    logo = models.ImageField("logo", upload_to="organisations/%Y/%m/", blank=True)
    logo_thumbnail = models.ImageField(
        "vignette du logo", upload_to="organisations/%Y/%m/", blank=True
    )
    # Companies: "anyone who confirms an address at @acme.fr may join". The domain counts only
    # once an admin of the organisation confirmed an address on it (domain_verified_at);
    # moderators revoke it by clearing that date.
    email_domain = models.CharField("domaine e-mail", max_length=253, blank=True)
    domain_verified_at = models.DateTimeField("domaine prouvé le", null=True, blank=True)
    # Moderators revoked it: it stays unproven until the organisation sets another domain.
    domain_revoked_at = models.DateTimeField("domaine révoqué le", null=True, blank=True)
    # Moderators: "vérifiée" once they checked it is who it says; deactivated, it is gone
    # from the site (its page answers 404, nobody can launch a promise in its name).
    verified_at = models.DateTimeField("vérifiée le", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    # Hidden by moderation (or by three reports): its page is shown only to its members and
    # moderators, with a notice.
    is_hidden = models.BooleanField("masquée par la modération", default=False)
    hidden_at = models.DateTimeField("masquée le", null=True, blank=True)
    # The join link (/organisations/<slug>/rejoindre/<join_token>/), reset by an admin.
    join_token = models.CharField("jeton du lien d'adhésion", max_length=32, default=join_token_new)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        constraints = [
            # A domain belongs to one organisation at a time.
            models.UniqueConstraint(
                fields=["email_domain"],
                condition=Q(domain_verified_at__isnull=False),
                name="organisation_domain_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation", args=[self.slug])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def joins_by_domain(self) -> bool:
        return bool(self.email_domain) and self.domain_verified_at is not None


class MembershipQuerySet(models.QuerySet):
    def admins(self) -> "MembershipQuerySet":
        return self.filter(role=Membership.Role.ADMIN)

    def leaders(self) -> "MembershipQuerySet":
        """Who may launch promises in the organisation's name: animateurs and admins."""
        return self.filter(role__in=[Membership.Role.ADMIN, Membership.Role.ANIMATEUR])


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "admin"  # manages members and settings
        ANIMATEUR = "animateur", "animateur"  # launches promises in the organisation's name
        MEMBER = "membre", "membre"

    class Via(models.TextChoices):
        CREATOR = "creation", "a créé l'organisation"
        INVITATION = "invitation", "invitation"
        LINK = "lien", "lien d'adhésion"
        DOMAIN = "domaine", "adresse e-mail de l'organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=10, choices=Role, default=Role.MEMBER)
    via = models.CharField("venu par", max_length=10, choices=Via)
    joined_at = models.DateTimeField("membre depuis", default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An admin invites someone by email; the link is the credential, used once."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse invitée")
    role = models.CharField(
        "rôle", max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=40, unique=True, default=invitation_token_new)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "invitation à rejoindre une organisation"
        verbose_name_plural = "invitations à rejoindre une organisation"

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
