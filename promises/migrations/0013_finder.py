"""What the action finder (/agir/) asks of a promise: the time it takes and its format. The
existing promises get a guess from what they say: a period is "régulièrement", words like
"chaque jour" make a daily gesture, "en ligne" or "à distance" a remote action, "chez moi" one
done at home; the rest is half a day, on site."""

import re

from django.db import migrations, models

DAILY = re.compile(r"chaque jour|tous les jours|au quotidien|quotidienne", re.IGNORECASE)
REMOTE = re.compile(r"en ligne|à distance|en visio|internet", re.IGNORECASE)
AT_HOME = re.compile(r"chez moi|chez soi|à la maison|de chez", re.IGNORECASE)


def guess(apps, schema_editor):
    Promise = apps.get_model("promises", "Promise")
    batch = []
    for promise in Promise.objects.only("action", "description", "action_end_date").iterator():
        words = f"{promise.action} {promise.description}"
        if DAILY.search(words):
            promise.duration = "quotidien"
        elif promise.action_end_date is not None:
            promise.duration = "regulier"
        else:
            promise.duration = "demi-journee"
        if REMOTE.search(words):
            promise.format = "a-distance"
        elif AT_HOME.search(words):
            promise.format = "chez-moi"
        else:
            promise.format = "sur-place"
        batch.append(promise)
    Promise.objects.bulk_update(batch, ["duration", "format"], batch_size=1000)
    # The updates queued deferred checks (the version triggers' writes): run them now, before
    # the next migration alters the table.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0012_themes"),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
            name="duration",
            field=models.CharField(
                choices=[
                    ("heure", "une heure"),
                    ("demi-journee", "une demi-journée"),
                    ("journee", "une journée"),
                    ("regulier", "régulièrement"),
                    ("quotidien", "un geste au quotidien"),
                ],
                default="demi-journee",
                max_length=12,
                verbose_name="temps demandé",
            ),
        ),
        migrations.AddField(
            model_name="promise",
            name="format",
            field=models.CharField(
                choices=[
                    ("sur-place", "sur place"),
                    ("a-distance", "à distance"),
                    ("chez-moi", "chez moi"),
                ],
                default="sur-place",
                max_length=10,
                verbose_name="format",
            ),
        ),
        migrations.RunPython(guess, migrations.RunPython.noop, elidable=True),
    ]
