"""The recap reminder is claimed like the action reminder, by the outbox's once-per-promise
broadcast (promises.services.reminders): its flag on the promise is no longer read. Every
promise it was set on has its reminder broadcast, written in the same transaction."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0004_action_weekday"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="promise",
            name="recap_reminded_at",
        ),
    ]
