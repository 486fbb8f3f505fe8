"""Pledge.joined_late: who joined on the way is now decided under the promise lock and stored.

Existing pledges get it from the timestamps, the rule used until now: counted after the objective
was reached (activated_at > reached_at). Both were taken under the promise lock, so they are the
best record left of the order it gave; they can be wrong only where two processes' clocks
disagreed, which is why new pledges no longer rely on them.
"""

from django.db import migrations, models
from django.db.models import F


def fill_joined_late(apps, schema_editor):
    Pledge = apps.get_model("promises", "Pledge")
    Pledge.objects.filter(
        promise__reached_at__isnull=False, activated_at__gt=F("promise__reached_at")
    ).update(joined_late=True)


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0002_action_recap_updates_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="pledge",
            name="joined_late",
            field=models.BooleanField(default=False, verbose_name="en cours de route"),
        ),
        # Going back drops the column: nothing to undo.
        migrations.RunPython(fill_joined_late, migrations.RunPython.noop, elidable=True),
    ]
