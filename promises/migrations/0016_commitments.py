"""Sponsors' commitments (promises.Commitment), and the triggers that keep the promise page's
cache right about them (promises/caching.py): a commitment proposed, decided or withdrawn, in
a service, the admin or a bulk update, bumps its promise's version in the same transaction
(promise_version_bump() of 0007); so does a change of what the page shows of its organisation
(name, logo, deactivated or hidden by the moderators), for the promises it has a commitment
on."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SQL = """
CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON promises_commitment
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump();

CREATE TRIGGER promise_version_commitments AFTER UPDATE OF name, slug, logo, logo_thumbnail,
    is_active, is_hidden ON organisations_organisation FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
          OR OLD.slug IS DISTINCT FROM NEW.slug
          OR OLD.logo IS DISTINCT FROM NEW.logo
          OR OLD.logo_thumbnail IS DISTINCT FROM NEW.logo_thumbnail
          OR OLD.is_active IS DISTINCT FROM NEW.is_active
          OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden)
    EXECUTE FUNCTION promise_version_bump_linked('promises_commitment', 'organisation_id');
"""

REVERSE_SQL = """
DROP TRIGGER promise_version_commitments ON organisations_organisation;
DROP TRIGGER promise_version ON promises_commitment;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_hidden"),
        ("promises", "0015_organisations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Commitment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "text",
                    models.CharField(
                        help_text="La suite de « Si l'objectif est atteint, <organisation> … », "
                        "par exemple « plante un arbre par participant ».",
                        max_length=200,
                        verbose_name="engagement",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=9,
                        null=True,
                        verbose_name="quantité par participant",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        blank=True,
                        help_text="Au singulier, par exemple « arbre » ; vide : des euros.",
                        max_length=30,
                        verbose_name="unité",
                    ),
                ),
                (
                    "cap",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        verbose_name="plafond",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposed", "proposé"),
                            ("accepted", "accepté"),
                            ("refused", "refusé"),
                            ("withdrawn", "retiré"),
                        ],
                        default="proposed",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                (
                    "proposed_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="proposé le"
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="accepté ou refusé le"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="retiré le"),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="accepté ou refusé par",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="commitments",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "promise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="commitments",
                        to="promises.promise",
                        verbose_name="promesse",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposé par",
                    ),
                ),
            ],
            options={
                "verbose_name": "engagement d'une organisation",
                "verbose_name_plural": "engagements d'organisations",
                "ordering": ["proposed_at", "pk"],
                "indexes": [
                    models.Index(fields=["promise", "state"], name="commitment_promise_state")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state__in", ["proposed", "accepted"])),
                        fields=("organisation", "promise"),
                        name="commitment_live_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("amount__isnull", True), ("amount__gt", 0), _connector="OR"
                        ),
                        name="commitment_amount_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("cap__isnull", True), ("cap__gt", 0), _connector="OR"),
                        name="commitment_cap_positive",
                    ),
                ],
            },
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
