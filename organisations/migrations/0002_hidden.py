from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="hidden_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="masquée le"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="is_hidden",
            field=models.BooleanField(default=False, verbose_name="masquée par la modération"),
        ),
    ]
