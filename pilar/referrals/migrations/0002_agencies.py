"""The agencies (OPD) that receive referrals; see ``pilar.referrals.reference``."""

from django.db import migrations

from pilar.referrals.reference import load_agencies


def seed(apps, schema_editor):
    load_agencies(apps.get_model("accounts", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("accounts", "0001_initial")]

    # Agencies may already be referenced by referrals and users: never removed on the way back.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
