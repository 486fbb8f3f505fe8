import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("promises", "0014_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="promises",
                to="organisations.organisation",
                verbose_name="pour l'organisation",
            ),
        ),
        migrations.AddField(
            model_name="promise",
            name="visibility",
            field=models.CharField(
                choices=[
                    ("public", "publique"),
                    ("membres", "réservée aux membres de l'organisation"),
                ],
                default="public",
                max_length=8,
                verbose_name="visibilité",
            ),
        ),
        migrations.AddConstraint(
            model_name="promise",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("visibility", "public"), ("organisation__isnull", False), _connector="OR"
                ),
                name="promise_members_only_has_organisation",
            ),
        ),
    ]
