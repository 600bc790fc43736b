"""Database triggers that make the audit tables append-only, for the application's own database role too.

PostgreSQL: row triggers refuse UPDATE and DELETE, a statement trigger refuses TRUNCATE. SQLite: row triggers
refuse UPDATE and DELETE. Only ``pilar flush`` (which empties the whole database on purpose, as the test
runner does between browser tests) lifts them for the time it runs. For a role that cannot even drop the
triggers, run Pilar as a PostgreSQL role that does not own the tables (docs/security.md).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("audit_auditentry", "audit_personaldataaccess")
MESSAGE = "pilar: audit rows are append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pilar_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
"""


def _install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        sql = [_PG_FUNCTION]
        for table in TABLES:
            sql += [
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION pilar_audit_append_only()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pilar_audit_append_only()",
            ]
        return sql
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for table in TABLES
            for op in ("UPDATE", "DELETE")
        ]
    return []


def _remove_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table}"
            for table in TABLES
            for kind in ("append_only", "no_truncate")
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for table in TABLES for op in ("update", "delete")]
    return []


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _remove_sql(connection.vendor) + _install_sql(connection.vendor):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _remove_sql(connection.vendor):
            cursor.execute(statement)


@contextmanager
def lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The guards off for a whole-database flush, and back on afterwards whatever happens."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
