"""Progress and heartbeat of a running import (rows done of total), visible while the import runs.

The rows themselves are written in one transaction, so an update made through that transaction
would stay invisible until the end. On PostgreSQL a thread with a second, autocommitting connection
writes the count and the heartbeat (:mod:`.liveness`) every couple of seconds; it only touches the
ImportJob row, which the import transaction does not lock until its very end. On SQLite a second
writer would wait for the import's write lock, so there the page sees the total at the end and
liveness is judged by the process; the CLI prints progress on both.
"""

import threading
from collections.abc import Callable

from django.db import connection, connections

from pilar.registry.models import ImportJob

TICK = 2.0  # seconds between two writes of the side connection (count and heartbeat)
Callback = Callable[[int, int], None]


class Progress:
    def __init__(self, job: ImportJob, total: int, callback: Callback | None = None):
        self.job, self.total, self.callback = job, total, callback
        self.done = 0
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        if connection.vendor == "postgresql" and job.pk:
            self.thread = threading.Thread(target=self._beat, name="pilar-import-heartbeat", daemon=True)
            self.thread.start()

    def __call__(self, done: int) -> None:
        self.done = done
        if self.callback is not None:
            self.callback(done, self.total)

    def close(self) -> None:
        if self.thread is not None:
            self.stopping.set()
            self.thread.join()
            self.thread = None

    def _beat(self) -> None:
        table = ImportJob._meta.db_table
        # Only while it runs: a late tick must not overwrite the final counts.
        sql = f"UPDATE {table} SET done_rows = %s, heartbeat_at = NOW() WHERE id = %s AND status = %s"  # noqa: S608
        side = connections.create_connection(connection.alias)  # made in this thread, used only here
        try:
            while not self.stopping.wait(TICK):
                try:
                    with side.cursor() as cursor:
                        cursor.execute(sql, [self.done, self.job.pk, ImportJob.Status.RUNNING])
                except Exception:  # noqa: BLE001 - a dropped side connection: open a new one next tick
                    side.close()
                    side = connections.create_connection(connection.alias)
        finally:
            side.close()
