"""A big import's inserts run in a second thread, in order, while the import prepares the next rows.

Both database drivers let other Python threads run while the database does the work (sqlite3 around each
statement step, psycopg while COPY data travels and the server stores it), so building the next batch of
rows and storing the previous one overlap: on two cores, with validation in its own process, the parts of
an import run side by side instead of one after the other.

The thread uses the import transaction's own connection, never at the same time as the caller: every
read of the database in the writer first waits for the queued inserts (:meth:`drain`). The import closes
the pipeline before its transaction ends, so a rollback never races an insert.
"""

import queue
import threading
from collections.abc import Sequence
from typing import Any

from pilar.registry.importer.bulk import BulkSink

DEPTH = 4  # queued inserts: enough to keep the thread busy, few enough to bound the memory held


class InsertPipeline:
    def __init__(self, sink: BulkSink):
        self.sink = sink
        self.queue: queue.Queue[tuple[str, Sequence[str], list[tuple[Any, ...]]] | None] = queue.Queue(DEPTH)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="pilar-import-inserts", daemon=True)
        self.thread.start()

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        self._raise()
        if rows:
            self.queue.put((table, columns, rows))

    def drain(self) -> None:
        """Wait until every queued insert is stored (before any read of the database)."""
        self.queue.join()
        self._raise()

    def close(self) -> None:
        """Stop the thread after the queued inserts (or at once after a failure); idempotent."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:  # after a failure, drop the rest: the transaction will roll back
                    self.sink.insert(*item)
            except BaseException as exc:  # noqa: BLE001 - handed to the importing thread
                self.error = exc
            finally:
                self.queue.task_done()

    def _raise(self) -> None:
        if self.error is not None:
            raise RuntimeError("inserting imported rows failed") from self.error
