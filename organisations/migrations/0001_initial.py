import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import organisations.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="nom")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="adresse")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("association", "association"),
                            ("entreprise", "entreprise"),
                            ("collectivite", "collectivité"),
                        ],
                        max_length=12,
                        verbose_name="type",
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, max_length=3000, verbose_name="présentation"),
                ),
                ("website", models.URLField(blank=True, verbose_name="site web")),
                (
                    "logo",
                    models.ImageField(
                        blank=True, upload_to="organisations/%Y/%m/", verbose_name="logo"
                    ),
                ),
                (
                    "logo_thumbnail",
                    models.ImageField(
                        blank=True,
                        upload_to="organisations/%Y/%m/",
                        verbose_name="vignette du logo",
                    ),
                ),
                (
                    "email_domain",
                    models.CharField(blank=True, max_length=253, verbose_name="domaine e-mail"),
                ),
                (
                    "domain_verified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="domaine prouvé le"),
                ),
                (
                    "verified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="vérifiée le"),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "join_token",
                    models.CharField(
                        default=organisations.models.join_token_new,
                        max_length=32,
                        verbose_name="jeton du lien d'adhésion",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="créée le"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="créée par",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
            },
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("admin", "admin"),
                            ("animateur", "animateur"),
                            ("membre", "membre"),
                        ],
                        default="membre",
                        max_length=10,
                        verbose_name="rôle",
                    ),
                ),
                (
                    "via",
                    models.CharField(
                        choices=[
                            ("creation", "a créé l'organisation"),
                            ("invitation", "invitation"),
                            ("lien", "lien d'adhésion"),
                            ("domaine", "adresse e-mail de l'organisation"),
                        ],
                        max_length=10,
                        verbose_name="venu par",
                    ),
                ),
                (
                    "joined_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="membre depuis"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "membre",
                "verbose_name_plural": "membres",
            },
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="adresse invitée")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("admin", "admin"),
                            ("animateur", "animateur"),
                            ("membre", "membre"),
                        ],
                        default="membre",
                        max_length=10,
                        verbose_name="rôle",
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=organisations.models.invitation_token_new,
                        max_length=40,
                        unique=True,
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="envoyée le"
                    ),
                ),
                (
                    "accepted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="acceptée le"),
                ),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "invitation à rejoindre une organisation",
                "verbose_name_plural": "invitations à rejoindre une organisation",
            },
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("domain_verified_at__isnull", False)),
                fields=("email_domain",),
                name="organisation_domain_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("organisation", "user"), name="membership_once"
            ),
        ),
    ]
