"""The two retention rules every office starts with (not region data: UU PDP applies everywhere)."""

from django.conf import settings
from django.db import migrations


def add(apps, schema_editor):
    rule = apps.get_model("rights", "RetentionRule")
    rule.objects.get_or_create(
        kind="kontak_pengaduan",
        defaults={"days": getattr(settings, "PILAR_COMPLAINT_CONTACT_DAYS", 365), "active": True,
                  "legal_basis": "UU 27/2022 Pasal 43: dihapus bila tidak lagi diperlukan untuk tujuannya"},
    )
    rule.objects.get_or_create(
        kind="ppks_keluar",
        defaults={"days": 5 * 365, "active": False,
                  "legal_basis": "Diaktifkan kantor sesuai jadwal retensi arsip daerah"},
    )


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
