from django.db import migrations


def load(apps, schema_editor):
    from pilar.cases.reference import load_defaults

    load_defaults(apps.get_model("cases", "StageTarget"), apps.get_model("cases", "RiskFactor"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
