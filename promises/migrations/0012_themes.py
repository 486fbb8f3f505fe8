"""Each theme gets a page (/promesses/themes/<slug>/): a short description and an icon,
written by moderators in the admin (the demo writes its own)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0011_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="description",
            field=models.CharField(
                blank=True,
                help_text="Une ou deux phrases, en tête de la page du thème.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="theme",
            name="icon",
            field=models.CharField(
                blank=True, help_text="Un emoji : 🌱, 🚲…", max_length=8, verbose_name="icône"
            ),
        ),
    ]
