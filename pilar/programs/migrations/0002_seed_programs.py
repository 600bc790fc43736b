"""Formerly loaded Kota Tangerang's rows here; they are now the region data pack (pilar/regional/packs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial"), ("registry", "0002_load_categories"), ("accounts", "0001_initial")]

    operations = []
