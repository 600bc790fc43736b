"""The database side of backups: a consistent dump with its row counts and checksums, restore, and digests.

PostgreSQL: ``pg_dump`` (custom format) runs on a snapshot exported by the transaction that counts and
checksums the rows, so the manifest describes exactly the dump. SQLite: the online backup API copies the
live database page by page into a file, and the counts and checksums are taken from that copy.

``subprocess`` runs pg_dump/pg_restore, always with an argument list and never through a shell.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from psycopg.conninfo import make_conninfo

from pilar.core.errors import DomainError

# The environment variable libpq reads for each connection parameter.
LIBPQ_ENV = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}


@dataclass(frozen=True)
class Target:
    """One database, described as Django describes it (``settings.DATABASES[alias]``)."""

    engine: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, db: Mapping[str, Any]) -> "Target":
        engine = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"
        return cls(
            engine,
            str(db["NAME"]),
            db.get("USER") or "",
            db.get("PASSWORD") or "",
            db.get("HOST") or "",
            str(db.get("PORT") or ""),
        )

    def conninfo(self, name: str | None = None) -> dict[str, str]:
        """The libpq connection parameters that are set (``name``: another database on the same server)."""
        params = {
            "dbname": name or self.name,
            "user": self.user,
            "password": self.password,
            "host": self.host,
            "port": self.port,
        }
        return {k: v for k, v in params.items() if v}

    def libpq_env(self, name: str | None = None) -> dict[str, str]:
        # Passed through the environment, never the command line, where `ps` would show the password.
        return {**os.environ, **{LIBPQ_ENV[k]: v for k, v in self.conninfo(name).items()}}

    def connect(self, name: str | None = None) -> Any:
        if self.engine == "sqlite":
            uri = (name or self.name).startswith("file:")
            return sqlite3.connect(name or self.name, uri=uri)
        # As one conninfo string: the keyword form would mix these texts with connect's own typed options.
        return psycopg.connect(make_conninfo(**self.conninfo(name)), autocommit=True)


def list_tables(conn: Any, engine: str) -> list[str]:
    if engine == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    return [row[0] for row in conn.execute(sql).fetchall()]


def _quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def table_digests(conn: Any, engine: str) -> dict[str, dict[str, Any]]:
    """``{table: {"rows": n, "sha256": h}}``: every row, in a fixed order, hashed as the driver returns it."""
    digests = {}
    for table in list_tables(conn, engine):
        cursor = conn.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")  # noqa: S608 (names from the catalogue)
        order = ", ".join(str(i + 1) for i in range(len(cursor.description)))
        cursor = conn.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
        digest, rows = hashlib.sha256(), 0
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest.update(repr(row).encode("utf-8"))
                rows += 1
        digests[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return digests


def dump(target: Target, alias: str, out: Path) -> dict[str, dict[str, Any]]:
    """Write the database to ``out``; returns the digests of exactly what was written."""
    if target.engine == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        copy = sqlite3.connect(out)
        with copy:
            connection.connection.backup(copy)
        try:
            return table_digests(copy, "sqlite")
        finally:
            copy.close()
    with target.connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={out}"],
            target.libpq_env(),
        )
        digests = table_digests(conn, "postgresql")
        conn.execute("COMMIT")
    return digests


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise DomainError(f"Perintah {args[0]} tidak ditemukan: pasang postgresql-client yang sesuai versi server.")
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DomainError(f"{args[0]} gagal: {done.stderr.strip()[-500:]}")


def is_empty(target: Target) -> bool:
    """No table holds a row (a database just created, or created and migrated but never used, is not: see docs)."""
    if target.engine == "sqlite" and not target.name.startswith("file:") and not Path(target.name).exists():
        return True
    with target.connect() as conn:
        return not list_tables(conn, target.engine)


def drop_all(target: Target) -> None:
    """Remove every table of the target (``restore --force``)."""
    if target.engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(target.name + suffix).unlink(missing_ok=True)
        return
    with target.connect() as conn:
        for table in list_tables(conn, "postgresql"):
            conn.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")


def load(target: Target, dump_file: Path) -> None:
    """Put a dump into the (empty) target database."""
    if target.engine == "sqlite":
        temporary = Path(target.name + ".restoring")
        shutil.copyfile(dump_file, temporary)
        for suffix in ("-wal", "-shm"):
            Path(target.name + suffix).unlink(missing_ok=True)
        os.replace(temporary, target.name)  # all at once: never a half-written database file
        return
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target.name}",
            str(dump_file),
        ],
        target.libpq_env(),
    )


def digests_of(target: Target) -> dict[str, dict[str, Any]]:
    with target.connect() as conn:
        return table_digests(conn, target.engine)


def create_scratch(target: Target, name: str) -> Target:
    """An empty database beside ``target`` for ``backup --verify`` (PostgreSQL: needs the CREATEDB right)."""
    if target.engine == "sqlite":
        return Target("sqlite", name)
    with target.connect() as conn:
        conn.execute(f"CREATE DATABASE {_quote(name)}")
    return Target("postgresql", name, target.user, target.password, target.host, target.port)


def drop_scratch(scratch: Target, origin: Target) -> None:
    """Remove the scratch database, from a connection to the database it was made beside."""
    if scratch.engine == "sqlite":
        Path(scratch.name).unlink(missing_ok=True)
        return
    with origin.connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {_quote(scratch.name)}")
