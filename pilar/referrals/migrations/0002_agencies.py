"""Formerly loaded Kota Tangerang's rows here; they are now the region data pack (pilar/regional/packs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("accounts", "0001_initial")]

    # Agencies may already be referenced by referrals and users: never removed on the way back.
    operations = []
