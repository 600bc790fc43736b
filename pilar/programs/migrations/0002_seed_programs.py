"""Tangerang Cerdas, Bedah Rumah (RTLH), Tangerang Terang, PKH, BPNT and PBI-JK, and their agencies."""

from django.db import migrations

from pilar.programs.reference import load_programs


def load(apps, schema_editor):
    load_programs(
        apps.get_model("programs", "Program"), apps.get_model("accounts", "Agency"), apps.get_model("registry", "Category")
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial"), ("registry", "0002_load_categories"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
