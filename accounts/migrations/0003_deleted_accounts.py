from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_data_export")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="deleted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="supprimé le"
            ),
        ),
    ]
