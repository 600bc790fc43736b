"""Indexes for name search (pilar.identity.search): pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite.

Not atomic: on PostgreSQL the index is built CONCURRENTLY, so a registry of a million persons stays
writable while it builds.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGGERS = {
    "identity_person_search_ai": "AFTER INSERT ON identity_person BEGIN "
    "INSERT INTO identity_person_search (rowid, name_normalized) VALUES (new.id, new.name_normalized); END",
    "identity_person_search_ad": "AFTER DELETE ON identity_person BEGIN "
    "INSERT INTO identity_person_search (identity_person_search, rowid, name_normalized) "
    "VALUES ('delete', old.id, old.name_normalized); END",
    "identity_person_search_au": "AFTER UPDATE OF name_normalized ON identity_person BEGIN "
    "INSERT INTO identity_person_search (identity_person_search, rowid, name_normalized) "
    "VALUES ('delete', old.id, old.name_normalized); "
    "INSERT INTO identity_person_search (rowid, name_normalized) VALUES (new.id, new.name_normalized); END",
}


def create(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS identity_person_name_trgm "
            "ON identity_person USING gin (name_normalized gin_trgm_ops)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        # External content: the names live once, in identity_person; the FTS table holds only the index.
        run(
            "CREATE VIRTUAL TABLE IF NOT EXISTS identity_person_search USING fts5("
            "name_normalized, content='identity_person', content_rowid='id', tokenize='trigram')"
        )
        for name, body in TRIGGERS.items():
            run(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        run("INSERT INTO identity_person_search (identity_person_search) VALUES ('rebuild')")


def drop(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("DROP INDEX CONCURRENTLY IF EXISTS identity_person_name_trgm")
    elif schema_editor.connection.vendor == "sqlite":
        for name in TRIGGERS:
            run(f"DROP TRIGGER IF EXISTS {name}")
        run("DROP TABLE IF EXISTS identity_person_search")


class TrigramOnPostgres(TrigramExtension):
    """pg_trgm; Django's reverse asks pg_extension even on SQLite, so the reverse is guarded here too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("identity", "0005_person_provenance"),
    ]

    operations = [
        TrigramOnPostgres(),
        migrations.RunPython(create, drop),
    ]
