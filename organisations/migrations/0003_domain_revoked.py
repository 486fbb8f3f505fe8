from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_hidden"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="domain_revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="domaine révoqué le"),
        ),
    ]
