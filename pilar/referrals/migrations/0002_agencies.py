"""The agencies (OPD) that receive referrals in Kota Tangerang; the office adds more in the admin (OPD).

Codes are stable identifiers (the API shows them, e.g. "dinkes"); existing rows are left as they are,
so a name the office changed is kept.
"""

from django.db import migrations

AGENCIES = {
    "dinkes": "Dinas Kesehatan",
    "disnaker": "Dinas Ketenagakerjaan",
    "dp3ap2kb": "DP3AP2KB (Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB)",
    "disdik": "Dinas Pendidikan",
    "disperkimtan": "Dinas Perumahan, Permukiman dan Pertanahan",
    "bpjs": "BPJS Kesehatan",
    "dukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "kelurahan": "Kantor Kelurahan",
    "rsud": "RSUD Kota Tangerang",
    "satpol-pp": "Satuan Polisi Pamong Praja",
}


def seed(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for code, name in AGENCIES.items():
        Agency.objects.get_or_create(code=code, defaults={"name": name, "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("accounts", "0001_initial")]

    # Agencies may already be referenced by referrals and users: never removed on the way back.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
