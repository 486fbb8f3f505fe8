import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0013_finder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Alert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query", models.CharField(max_length=500, verbose_name="recherche")),
                ("label", models.CharField(max_length=300, verbose_name="intitulé")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="créée le"
                    ),
                ),
                (
                    "checked_until",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="promesses vues jusqu'au"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alerts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "alerte",
                "verbose_name_plural": "alertes",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "query"), name="alert_once_per_search")
                ],
            },
        ),
    ]
