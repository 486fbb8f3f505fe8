"""Kinds come from the registry (notifications.kinds): the once-per-promise constraint no
longer lists them, it reads a column set from the kind's entry when a broadcast is written."""

from django.db import migrations, models

import notifications.kinds

# The once-per-promise kinds when this migration was written (their registry entries say so
# from now on): the rows already stored get the flag.
ONCE_PER_PROMISE = [
    "reached",
    "failed",
    "cancelled",
    "action_reminder",
    "recap",
    "recap_reminder",
    "relaunch",
]


def flag_once_per_promise(apps, schema_editor):
    Broadcast = apps.get_model("notifications", "Broadcast")
    Broadcast.objects.filter(kind__in=ONCE_PER_PROMISE).update(once_per_promise=True)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_action_and_recap_emails"),
    ]

    operations = [
        migrations.AddField(
            model_name="broadcast",
            name="once_per_promise",
            field=models.BooleanField(default=False, verbose_name="une fois par promesse"),
        ),
        migrations.RunPython(flag_once_per_promise, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="broadcast",
            name="broadcast_once_per_promise_event",
        ),
        migrations.AddConstraint(
            model_name="broadcast",
            constraint=models.UniqueConstraint(
                condition=models.Q(("once_per_promise", True)),
                fields=("promise", "kind"),
                name="broadcast_once_per_promise",
            ),
        ),
        migrations.AlterField(
            model_name="broadcast",
            name="kind",
            field=models.CharField(
                choices=notifications.kinds.kind_choices, max_length=20, verbose_name="type"
            ),
        ),
        migrations.AlterField(
            model_name="emailpreference",
            name="topic",
            field=models.CharField(choices=notifications.kinds.topic_choices, max_length=20),
        ),
    ]
