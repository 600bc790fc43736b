"""Formerly loaded Kota Tangerang's rows here; they are now the region data pack (pilar/regional/packs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incentives", "0001_initial")]

    operations = []
