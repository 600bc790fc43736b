"""Write many payroll rows at once: COPY on PostgreSQL, executemany batches on SQLite.

``bulk_create`` spends most of a 100,000-line run building model instances and compiling one
parameter per field in Python (about 0.2 ms a line, 20 s a run); these paths hand plain tuples to the
driver. They run inside the caller's transaction; the database's constraints and the lock triggers
still check every row.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH = 5000


def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> int:
    """Insert ``rows`` (values as the driver takes them: see :func:`db_date`; money as int) into ``columns``."""
    if not rows:
        return 0
    table, names = model._meta.db_table, ", ".join(columns)  # names from the models, never from input
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elif connection.vendor == "sqlite":
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})"  # noqa: S608
            for start in range(0, len(rows), BATCH):
                cursor.cursor.executemany(sql, rows[start : start + BATCH])
        else:
            # The columns are the fields' attnames (``worker_id``), which a model takes as keywords as they are.
            objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model._default_manager.bulk_create(objs, batch_size=BATCH)
    return len(rows)


def db_date(value: date) -> Any:
    """A date as this database's driver takes it (ISO text on SQLite, as Django stores a DateField)."""
    return connection.ops.adapt_datefield_value(value)
