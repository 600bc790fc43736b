"""Service calls at the same moment, as two users' requests would make them: the tests of row locks and
unique constraints (on PostgreSQL; SQLite serialises writers)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def at_once(*calls: Callable[[], Any], catch: tuple[type[BaseException], ...] = (Exception,)) -> list[Any]:
    """Run each call in its own thread, all released together by a barrier; per call, in the order given, what
    it returned or the exception (of ``catch``) it raised. Each thread closes its database connections, as the
    end of a request does, so the test database can be flushed afterwards."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[i] = call()
        except catch as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
