"""Is a running import's process still there? And stopping an import cleanly when its worker shuts down.

Each running job names its process (``runner``: host, pid and the process's start time) and, on
PostgreSQL, refreshes ``heartbeat_at`` every few seconds from a side connection (:mod:`.progress`).
A job counts as gone when, on this machine, its process no longer exists (exact and immediate), or,
seen from another machine, its heartbeat is older than :data:`STALE`. SQLite databases live on one
machine, where the process check is the whole answer (an import there holds the write lock, so it
cannot write a heartbeat while it runs).
"""

import os
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.utils.translation import gettext as _

from pilar.core.processes import process_alive, process_start
from pilar.registry.job_models import WorkerJob
from pilar.registry.models import ImportJob

BEAT = timedelta(seconds=5)
STALE = timedelta(seconds=45)  # nine missed beats, and a dead job is still failed within a minute
STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGQUIT")


def this_runner() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{process_start(pid)}"[:200]


def runner_gone(job: WorkerJob, now: datetime) -> bool:
    host, _sep, rest = job.runner.partition(":")
    pid, _sep, started = rest.partition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not process_alive(int(pid), started)
    beat = job.heartbeat_at or job.started_at
    return beat is None or now - beat > STALE


def gone_message(job: ImportJob) -> str:
    return _(
        "Impor terhenti: proses yang menjalankannya berhenti (dimatikan atau mati) sebelum selesai. "
        "Tidak ada data dari berkas ini yang tersimpan. Jalankan ulang dengan tombol Coba lagi."
    )


class ImportStopped(Exception):
    """The process was asked to stop (worker shutdown, Ctrl-C): the import rolls back and is recorded as failed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def message(self) -> str:
        return _(
            "Impor dihentikan karena layanan pemroses dimatikan (%(signal)s). Tidak ada data dari berkas ini "
            "yang tersimpan. Jalankan ulang dengan tombol Coba lagi."
        ) % {"signal": signal.Signals(self.signum).name}


class StopFlag:
    """Set by the stop signals while an import runs; checked between batches."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        if self.signum is not None:
            raise ImportStopped(self.signum)


@contextmanager
def stop_on_signals() -> Iterator[StopFlag]:
    """While the block runs, a stop signal sets the flag and is passed on to the handler that was there
    (the task worker's: it then exits after this task instead of starting the next one). Only the main
    thread can set signal handlers; elsewhere the flag simply never rises."""
    flag = StopFlag()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        if flag.signum is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: stop now (the transaction still rolls back)
        flag.signum = signum
        before = previous.get(signum)
        if callable(before) and before is not signal.default_int_handler:
            before(signum, frame)

    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    try:
        yield flag
    finally:
        for number, before in previous.items():
            signal.signal(number, before)
