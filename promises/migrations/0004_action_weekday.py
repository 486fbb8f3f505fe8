"""Promise.action_weekday: an action on one day of each week of its period, which the calendar
file repeats (RRULE). Existing promises keep their free-text rhythm ("tous les mardis") and no
day of the week: the text cannot be read back into one reliably, and their initiators may choose
the day in the edit form.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0003_pledge_joined_late"),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
            name="action_weekday",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "lundi"),
                    (1, "mardi"),
                    (2, "mercredi"),
                    (3, "jeudi"),
                    (4, "vendredi"),
                    (5, "samedi"),
                    (6, "dimanche"),
                ],
                help_text="Pour une action sur une période, qui a lieu ce jour-là chaque semaine.",
                null=True,
                verbose_name="chaque semaine, le",
            ),
        ),
        migrations.AlterField(
            model_name="promise",
            name="action_schedule",
            field=models.CharField(
                blank=True,
                help_text="En quelques mots, par exemple « de 9 h à 12 h » ou « un samedi sur deux ».",
                max_length=100,
                verbose_name="rythme de l'action",
            ),
        ),
    ]
