"""The 26 PPKS and 12 PSKS categories of Permensos 08/2012, from pilar/registry/data/categories.csv."""

from django.db import migrations

from pilar.registry.reference import load_categories


def load(apps, schema_editor):
    load_categories(apps.get_model("registry", "Category"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
