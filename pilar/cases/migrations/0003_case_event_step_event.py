"""A case's timeline events take the column names every other record's history has (``core.models.StepEvent``):
kind → action, from_stage → from_status, to_stage → to_status, text → reason. Renames only: no data moves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_reference_data")]

    operations = [
        migrations.RenameField("caseevent", "kind", "action"),
        migrations.RenameField("caseevent", "from_stage", "from_status"),
        migrations.RenameField("caseevent", "to_stage", "to_status"),
        migrations.RenameField("caseevent", "text", "reason"),
        # Labels only (no SQL): the shared base's.
        migrations.AlterField("caseevent", "action", models.CharField(max_length=30, verbose_name="tindakan")),
        migrations.AlterField("caseevent", "reason", models.TextField(blank=True, verbose_name="alasan/catatan")),
    ]
