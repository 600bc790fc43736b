"""Progress of a running import (rows done of total), visible to the page while the import runs.

The rows themselves are written in one transaction, so an update made through that transaction
would stay invisible until the end. On PostgreSQL the counter therefore goes through a second,
autocommitting connection (it only touches the ImportJob row, which the import transaction never
locks). On SQLite a second writer would wait for the import's write lock, so there the page sees
the total at the end; the CLI prints progress on both.
"""

from collections.abc import Callable

from django.db import connection, connections

from pilar.registry.models import ImportJob

EVERY = 10_000
Callback = Callable[[int, int], None]


class Progress:
    def __init__(self, job: ImportJob, total: int, callback: Callback | None = None):
        self.job, self.total, self.callback = job, total, callback
        self.last = 0
        self.side = connections.create_connection(connection.alias) if connection.vendor == "postgresql" else None

    def __call__(self, done: int) -> None:
        if self.callback is not None:
            self.callback(done, self.total)
        if self.side is not None and self.job.pk and (done - self.last >= EVERY or done >= self.total):
            self.last = done
            with self.side.cursor() as cursor:
                table = ImportJob._meta.db_table
                cursor.execute(f"UPDATE {table} SET done_rows = %s WHERE id = %s", [done, self.job.pk])  # noqa: S608

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None
