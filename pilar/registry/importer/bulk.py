"""The two bulk paths into the database: COPY on PostgreSQL, large executemany batches on SQLite.

Both run inside the caller's transaction, so a crash or a kill leaves nothing behind. Ids are
allocated up front (PostgreSQL: from the table's sequence; SQLite: after MAX(id), safe because
Pilar opens SQLite transactions with BEGIN IMMEDIATE, which holds the write lock from the start),
so that persons, records and events can reference each other without reading anything back.
"""

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Model


class BulkSink(ABC):
    """What the import writer needs from the database."""

    def __init__(self) -> None:
        self.cursor = connection.cursor()

    @abstractmethod
    def allocate(self, table: str, count: int) -> list[int]:
        """``count`` fresh ids for ``table``."""

    @abstractmethod
    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Write ``rows`` (ids included) into ``table``."""

    def fetch_in(self, sql: str, values: Sequence[Any], extra: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` with ``{in}`` replaced by a parameter list of ``values``, in slices."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), 900):  # under SQLite's old 999-parameter limit
            part = values[start : start + 900]
            marks = ", ".join(["%s"] * len(part))
            self.cursor.execute(sql.replace("{in}", marks), [*part, *extra])
            out.extend(self.cursor.fetchall())
        return out

    def lock_references(self, references: dict[type[Model], set[int]]) -> None:
        """Check that every referenced row exists and keep it until commit: what a foreign key's per-row
        check does, once per distinct id (a few hundred) instead of once per row and key (millions)."""
        for model, ids in references.items():
            wanted = sorted(ids)
            table = model._meta.db_table
            found = {row[0] for row in self.fetch_in(f"SELECT id FROM {table} WHERE id IN ({{in}}){self.LOCK}", wanted)}  # noqa: S608,E501
            missing = [pk for pk in wanted if pk not in found]
            if missing:
                raise RuntimeError(f"import refers to missing {table} rows: {missing[:10]}")

    LOCK = ""
    # Whether suspend_indexes() leaves the tables readable by other sessions while the import runs.
    SUSPEND_BESIDE_READERS = False

    def timestamp(self, value: datetime) -> Any:
        return value

    def day(self, value: date | None) -> Any:
        return value

    @abstractmethod
    def suspend_indexes(self, tables: Sequence[str], *, empty: bool = False) -> None:
        """Take load off the writes of a big import, inside its transaction (see the subclasses)."""

    @abstractmethod
    def restore_indexes(self) -> None:
        """Put back what :meth:`suspend_indexes` took away, before the transaction commits."""

    def close(self) -> None:
        self.cursor.close()


class PostgresSink(BulkSink):
    LOCK = " FOR KEY SHARE"  # as PostgreSQL's own key checks: the row cannot be deleted before commit

    def __init__(self) -> None:
        super().__init__()
        self.sequences: dict[str, str] = {}

    def allocate(self, table: str, count: int) -> list[int]:
        if count == 0:
            return []
        if table not in self.sequences:
            self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            self.sequences[table] = self.cursor.fetchone()[0]
        # The ids come back as runs of consecutive numbers (one run unless another session took ids
        # meanwhile): a few rows instead of one per id.
        self.cursor.execute(
            "SELECT MIN(id), MAX(id) FROM (SELECT id, id - ROW_NUMBER() OVER (ORDER BY id) AS run "
            "FROM (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)) AS ids) AS runs "
            "GROUP BY run ORDER BY 1",
            [self.sequences[table], count],
        )
        return [pk for first, last in self.cursor.fetchall() for pk in range(first, last + 1)]

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        sql = f"COPY {table} ({_names(columns)}) FROM STDIN"  # names come from the writer, not input
        with self.cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def suspend_indexes(self, tables: Sequence[str], *, empty: bool = False) -> None:
        """Drop the foreign keys between ``tables`` until :meth:`restore_indexes` adds them back.

        Each of these keys is otherwise checked at commit by a trigger, one lookup per inserted row
        (a third of a big import's time); adding the constraint back checks all rows in one join.
        Drop and re-add are part of the import transaction: a crash or a rollback leaves the keys
        as they were. ALTER TABLE and DROP INDEX hold ACCESS EXCLUSIVE locks until commit, so every
        reader of these tables waits for the import: the writer uses this only into an empty registry
        (a first load); into a live one it inserts beside the readers (MVCC) with the keys in place.
        Keys to tables outside ``tables`` (users, regions, categories, the import job, which the
        progress connection updates meanwhile) are kept: dropping them would lock those tables too.

        Into ``empty`` tables, the plain (non-unique) indexes are dropped too and built once at the
        end from sorted keys; otherwise they stay, as the writer's look-ups of existing rows use them.
        """
        # Index builds and key validation sort millions of keys: in memory rather than in temporary files.
        self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self.cursor.execute("SET LOCAL work_mem = '64MB'")
        # Checks still pending from earlier in this transaction would make ALTER TABLE fail.
        self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) AND c.confrelid = ANY(%s::regclass[]) "
            "ORDER BY c.conrelid::regclass::text, c.conname",
            [list(tables), list(tables)],
        )
        self.suspended = self.cursor.fetchall()
        for table, name, _definition in self.suspended:
            self.cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        self.indexes: list[tuple[str, str]] = []
        if empty:
            self.cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [list(tables)],
            )
            self.indexes = self.cursor.fetchall()
            for name, _definition in self.indexes:
                self.cursor.execute(f"DROP INDEX {name}")

    def restore_indexes(self) -> None:
        suspended = getattr(self, "suspended", [])
        if suspended:  # the kept keys' checks are pending on these tables, which ALTER TABLE refuses
            self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for _name, definition in getattr(self, "indexes", []):
            self.cursor.execute(definition)
        for table, name, definition in suspended:
            self.cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self.suspended, self.indexes = [], []

    def close(self) -> None:
        self.restore_indexes()
        super().close()


class SqliteSink(BulkSink):
    # In WAL mode readers see the last committed state, indexes included, whatever the import's transaction
    # does meanwhile; writers wait for SQLite's single write lock in any case.
    SUSPEND_BESIDE_READERS = True

    # SQLite's default page cache is 2 MB; a big import updates a dozen indexes in random key order
    # (NIK, names), and with a small cache nearly every insert rereads index pages from the file.
    CACHE_KIB = 512 * 1024

    def __init__(self) -> None:
        super().__init__()
        self.next_ids: dict[str, int] = {}
        self.first_ids: dict[str, int] = {}  # table -> the first id this import allocated in it
        self.cursor.execute("PRAGMA cache_size")
        self.previous_cache = self.cursor.fetchone()[0]
        self.cursor.execute(f"PRAGMA cache_size = -{self.CACHE_KIB}")

    def allocate(self, table: str, count: int) -> list[int]:
        if table not in self.next_ids:
            self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - our table names
            highest = self.cursor.fetchone()[0]
            self.cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
            self.next_ids[table] = self.first_ids[table] = max(highest, self.cursor.fetchone()[0]) + 1
        start = self.next_ids[table]
        self.next_ids[table] = start + count
        return list(range(start, start + count))

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        marks = ", ".join(["?"] * len(columns))
        # The raw sqlite3 cursor: Django's wrapper would rewrite %s and inspect every parameter.
        raw = self.cursor.cursor
        sql = f"INSERT INTO {table} ({_names(columns)}) VALUES ({marks})"  # noqa: S608
        raw.executemany(sql, rows)

    def timestamp(self, value: datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value)

    def day(self, value: date | None) -> Any:
        return value.isoformat() if value is not None else None  # as Django stores a DateField

    def suspend_indexes(self, tables: Sequence[str], *, empty: bool = False) -> None:
        """Drop the plain (non-unique) indexes of ``tables`` until :meth:`restore_indexes`, and the triggers
        that copy each new row into a search index (the persons' FTS5 name index).

        Building an index once from sorted keys is several times cheaper than updating it a million
        times in random order; the search index is likewise filled from the new rows in one statement
        at the end. The drop and the rebuild are part of the import transaction, so other connections
        only ever see the tables with their indexes and triggers.
        """
        marks = ", ".join(["%s"] * len(tables))
        self.cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks})",
            list(tables),
        )
        self.suspended = self.cursor.fetchall()
        for name, _sql in self.suspended:
            self.cursor.execute(f'DROP INDEX "{name}"')
        self.cursor.execute(
            f"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",  # noqa: S608
            list(tables),
        )
        self.triggers: list[tuple[str, str, str]] = []  # (the trigger's SQL, its table, the statement replaying it)
        for name, table, sql in self.cursor.fetchall():
            copy = _COPY_TRIGGER.fullmatch(" ".join(sql.split()))
            if copy is None:
                continue  # any other trigger stays and runs per row
            target, columns, values = copy.groups()
            selected = ", ".join(value.strip()[4:] for value in values.split(","))  # new.name -> name
            replay = f"INSERT INTO {target} ({columns}) SELECT {selected} FROM {table} WHERE id >= %s"  # noqa: S608
            self.cursor.execute(f'DROP TRIGGER "{name}"')
            self.triggers.append((sql, table, replay))

    def restore_indexes(self) -> None:
        for sql, table, replay in getattr(self, "triggers", []):
            if table in self.first_ids:  # the rows this import wrote have the ids from allocate() on
                self.cursor.execute(replay, [self.first_ids[table]])
            self.cursor.execute(sql)
        self.triggers = []
        suspended = getattr(self, "suspended", [])
        if not suspended:
            return
        # Each rebuild sorts a million keys; SQLite's sorter can share that among worker threads, and by now
        # the import's other work (validation, inserts) is done, so the cores are free.
        self.cursor.execute("PRAGMA threads")
        threads = self.cursor.fetchone()[0]
        self.cursor.execute(f"PRAGMA threads = {os.cpu_count() or 1}")
        try:
            for _name, sql in suspended:
                self.cursor.execute(sql)
        finally:
            self.cursor.execute(f"PRAGMA threads = {int(threads)}")
        self.suspended = []

    def close(self) -> None:
        self.restore_indexes()
        self.cursor.execute(f"PRAGMA cache_size = {int(self.previous_cache)}")
        super().close()


# A trigger that copies the new row's columns into another table, as the one keeping the persons' name search
# index in step: replayed for all the import's rows at once by an INSERT ... SELECT.
_COPY_TRIGGER = re.compile(
    r"CREATE TRIGGER \"?\w+\"? AFTER INSERT ON \"?\w+\"? BEGIN "
    r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \(((?:new\.\w+, ?)*new\.\w+)\); END",
    re.IGNORECASE,
)


def _names(columns: Sequence[str]) -> str:
    """Column names quoted: some are SQL keywords (an import conflict's ``values``)."""
    return ", ".join(f'"{name}"' for name in columns)


def open_sink() -> BulkSink:
    return PostgresSink() if connection.vendor == "postgresql" else SqliteSink()
