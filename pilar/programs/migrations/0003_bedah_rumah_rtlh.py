"""Bedah Rumah takes families whose house the registry records as RTLH, and their RTLH record leaves the registry
when the renovation is done (the RTLH category arrives with registry 0005)."""

from django.db import migrations

from pilar.programs.reference import load_programs


def load(apps, schema_editor):
    load_programs(apps.get_model("programs", "Program"), apps.get_model("accounts", "Agency"),
                  apps.get_model("registry", "Category"))  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_seed_programs"), ("registry", "0005_rtlh")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
