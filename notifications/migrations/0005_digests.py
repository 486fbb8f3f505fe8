import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_broadcast_once_per_promise"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="emailpreference",
            name="cadence",
            field=models.CharField(
                choices=[
                    ("immediate", "À chaque fois"),
                    ("daily", "Un résumé par jour"),
                    ("weekly", "Un résumé par semaine"),
                    ("never", "Jamais"),
                ],
                default="immediate",
                max_length=10,
                verbose_name="rythme",
            ),
            preserve_default=False,
        ),
        # A topic turned off stays off; one left on comes each time, as before digests.
        migrations.RunSQL(
            "UPDATE notifications_emailpreference SET cadence = 'never' WHERE NOT enabled",
            "UPDATE notifications_emailpreference SET enabled = (cadence <> 'never')",
        ),
        migrations.RemoveField(
            model_name="emailpreference",
            name="enabled",
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "à envoyer"),
                    ("sent", "envoyé"),
                    ("skipped", "non envoyé (plus concerné)"),
                    ("failed", "échec"),
                    ("held", "attend le résumé"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="Digest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "cadence",
                    models.CharField(
                        choices=[
                            ("immediate", "À chaque fois"),
                            ("daily", "Un résumé par jour"),
                            ("weekly", "Un résumé par semaine"),
                            ("never", "Jamais"),
                        ],
                        max_length=10,
                        verbose_name="rythme",
                    ),
                ),
                ("period_start", models.DateTimeField(verbose_name="début de la période")),
                ("period_end", models.DateTimeField(verbose_name="fin de la période")),
                (
                    "sources",
                    models.JSONField(blank=True, default=dict, verbose_name="contenu des sources"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "à envoyer"),
                            ("sent", "envoyé"),
                            ("skipped", "non envoyé (plus rien à dire)"),
                            ("failed", "échec"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("claimed_until", models.DateTimeField(blank=True, null=True)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="créé le"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="digests",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "résumé",
                "verbose_name_plural": "résumés",
            },
        ),
        migrations.AddField(
            model_name="delivery",
            name="digest",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deliveries",
                to="notifications.digest",
                verbose_name="résumé",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("digest__isnull", True), ("status", "held")),
                fields=["user", "id"],
                name="delivery_held",
            ),
        ),
        migrations.AddIndex(
            model_name="digest",
            index=models.Index(
                condition=models.Q(("status", "pending")), fields=["id"], name="digest_pending"
            ),
        ),
        migrations.AddConstraint(
            model_name="digest",
            constraint=models.UniqueConstraint(
                fields=("user", "cadence", "period_start"), name="digest_once_per_period"
            ),
        ),
    ]
