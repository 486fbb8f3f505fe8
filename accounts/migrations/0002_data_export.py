import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import accounts.models
import accounts.storage


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DataExport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=accounts.models.export_token_new,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="demandée le"
                    ),
                ),
                ("ready_at", models.DateTimeField(blank=True, null=True, verbose_name="prête le")),
                (
                    "expires_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="expire le"),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        storage=accounts.storage.private_storage,
                        upload_to="exports/",
                        verbose_name="archive",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="data_exports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "archive de données",
                "verbose_name_plural": "archives de données",
                "indexes": [
                    models.Index(fields=["user", "-created_at"], name="dataexport_user_created"),
                    models.Index(
                        condition=models.Q(("ready_at__isnull", True)),
                        fields=["created_at"],
                        name="dataexport_not_ready",
                    ),
                    models.Index(fields=["expires_at"], name="dataexport_expires"),
                ],
            },
        ),
    ]
