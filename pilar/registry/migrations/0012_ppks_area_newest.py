"""The indexes of a kecamatan's and a kelurahan's records, newest first (``PpksRecord.Meta.indexes``).

Not atomic: on PostgreSQL the indexes are built CONCURRENTLY (a few seconds at a million records), so the registry
stays writable while they build; elsewhere (SQLite) they are plain indexes.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL, Django's AddIndex on other databases (which have no CONCURRENTLY)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("registry", "0011_import_profile_columns")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="ppksrecord",
            index=models.Index(
                fields=["kecamatan", "id"], include=("person", "household"), name="ppks_kecamatan_newest"
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="ppksrecord",
            index=models.Index(
                fields=["kelurahan", "id"], include=("person", "household"), name="ppks_kelurahan_newest"
            ),
        ),
    ]
