# Places: French communes (manage.py load_communes fills them) and a promise's commune and
# meeting point. earthdistance (on cube) computes the distances of "Près de chez moi"
# (promises/places.py); its GiST index answers the radius filter.
import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0010_search"),
    ]

    operations = [
        CreateExtension("cube"),
        CreateExtension("earthdistance"),
        migrations.CreateModel(
            name="Commune",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("insee", models.CharField(max_length=5, unique=True, verbose_name="code INSEE")),
                ("name", models.CharField(max_length=100, verbose_name="nom")),
                (
                    "search_name",
                    models.CharField(editable=False, max_length=100, verbose_name="nom normalisé"),
                ),
                (
                    "postcodes",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=5),
                        size=None,
                        verbose_name="codes postaux",
                    ),
                ),
                ("departement", models.CharField(max_length=3, verbose_name="département")),
                ("population", models.PositiveIntegerField(default=0, verbose_name="population")),
                ("latitude", models.FloatField(blank=True, null=True, verbose_name="latitude")),
                ("longitude", models.FloatField(blank=True, null=True, verbose_name="longitude")),
            ],
            options={
                "verbose_name": "commune",
                "verbose_name_plural": "communes",
                "ordering": ["name", "insee"],
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        models.Func(
                            models.F("latitude"), models.F("longitude"), function="ll_to_earth"
                        ),
                        name="commune_earth",
                    ),
                    models.Index(
                        fields=["search_name"],
                        name="commune_search_name",
                        opclasses=["varchar_pattern_ops"],
                    ),
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["postcodes"], name="commune_postcodes"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="promise",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="promises",
                to="promises.commune",
                verbose_name="commune",
            ),
        ),
        migrations.AddField(
            model_name="promise",
            name="meeting_point",
            field=models.CharField(
                blank=True,
                help_text="Facultatif, par exemple « parking de la plage Centrale ».",
                max_length=200,
                verbose_name="adresse ou point de rendez-vous",
            ),
        ),
    ]
