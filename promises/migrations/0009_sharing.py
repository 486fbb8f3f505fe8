"""Sharing: each promise's short code, each pledge's share token, and where a pledge came from.
The codes of existing rows are drawn here, one by one (a callable default would give every
existing row the same one), before the columns become unique. Drawing them bumps the
promises' versions, as any change of a pledge does: the cached pages are drawn again."""

import django.db.models.deletion
from django.db import migrations, models

import promises.models


def draw_codes(apps, schema_editor):
    Promise = apps.get_model("promises", "Promise")
    Pledge = apps.get_model("promises", "Pledge")
    for model, field, new in (
        (Promise, "short_code", promises.models.short_code_new),
        (Pledge, "share_token", promises.models.share_token_new),
    ):
        batch = []
        for row in model.objects.filter(**{f"{field}__isnull": True}).only("pk").iterator():
            setattr(row, field, new())
            batch.append(row)
            if len(batch) == 1000:
                model.objects.bulk_update(batch, [field])
                batch = []
        model.objects.bulk_update(batch, [field])
    # The updates queued deferred checks (the version triggers' writes); they run now, for
    # Postgres refuses to alter a table with checks pending.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0008_listing_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
            name="short_code",
            field=models.CharField(
                editable=False, max_length=12, null=True, verbose_name="code court"
            ),
        ),
        migrations.AddField(
            model_name="pledge",
            name="share_token",
            field=models.CharField(
                editable=False, max_length=16, null=True, verbose_name="jeton de partage"
            ),
        ),
        migrations.RunPython(draw_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="promise",
            name="short_code",
            field=models.CharField(
                default=promises.models.short_code_new,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="code court",
            ),
        ),
        migrations.AlterField(
            model_name="pledge",
            name="share_token",
            field=models.CharField(
                default=promises.models.share_token_new,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="jeton de partage",
            ),
        ),
        migrations.AddField(
            model_name="pledge",
            name="source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "directement"),
                    ("lien", "le lien d'un participant"),
                    ("widget", "le widget"),
                    ("affiche", "une affiche"),
                    ("flyer", "un flyer"),
                ],
                default="",
                max_length=10,
                verbose_name="venu par",
            ),
        ),
        migrations.AddField(
            model_name="pledge",
            name="referred_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="referrals",
                to="promises.pledge",
                verbose_name="venu par le lien de",
            ),
        ),
    ]
