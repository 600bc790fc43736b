"""An opt-in read replica: reads go to it only inside ``read_replica()``, for dashboards and exports.

Everything else, and every write, uses the primary: a page that just saved something must read it back,
and replication lag would hide it. Dashboards and big exports tolerate a few seconds of lag and take their
load off the primary. Without ``DATABASE_REPLICA_URL`` the context manager changes nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_use_replica: ContextVar[bool] = ContextVar("pilar_use_replica", default=False)


@contextmanager
def read_replica() -> Iterator[None]:
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        # Installed only when DATABASE_REPLICA_URL defines the "replica" alias (pilar/settings.py).
        if _use_replica.get():
            return "replica"
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
