"""The incentive schedule of Kota Tangerang: Rp350.000 a month from January 2017, Rp500.000 from January 2020."""

from datetime import date
from decimal import Decimal

from django.db import migrations

RATES = [
    (date(2017, 1, 1), Decimal(350000), "Perwal Kota Tangerang 48/2017"),
    (date(2020, 1, 1), Decimal(500000), ""),
]


def add_rates(apps, schema_editor):
    rate = apps.get_model("incentives", "IncentiveRate")
    for effective_from, amount, basis in RATES:
        rate.objects.get_or_create(effective_from=effective_from, defaults={"amount": amount, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("incentives", "0001_initial")]

    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
