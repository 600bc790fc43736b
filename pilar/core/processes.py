"""Forked helper processes that cannot outlive, block or confuse the process that forked them.

A forked child inherits everything: the parent's database sockets (a child that keeps one open keeps
the parent's transaction and its locks alive after the parent was killed), its signal handlers (a task
worker's SIGTERM handler that only sets a flag) and its atexit and finaliser machinery. So a child made
here, before it runs anything:

- asks the kernel to kill it when the parent dies (``PR_SET_PDEATHSIG``; where that does not exist,
  the pipe to the parent breaks and its next send fails);
- closes every inherited socket and database file without speaking on it (closing a database
  connection the polite way would send "terminate" through the parent's own session);
- puts every signal handler back to the default;
- ends with ``os._exit``, so no inherited cleanup (atexit, finalisers, buffered files) runs twice.
"""

import contextlib
import ctypes
import os
import signal
import stat
import sys
import traceback
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
_RESET = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD")


def fork_child(target: Callable[[Connection], None], *, database_files: Iterable[str] = ()) -> tuple[int, Connection]:
    """Fork a child that runs ``target(send)`` and exits; returns its pid and the parent's receiving end.

    ``database_files``: paths of file-based databases (SQLite) whose inherited descriptors the child
    closes like sockets.
    """
    parent = os.getpid()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_fd)
        return pid, Connection(read_fd, writable=False)
    code = 1
    try:
        os.close(read_fd)
        _die_with(parent)
        _reset_signals()
        _close_inherited(keep={0, 1, 2, write_fd}, database_files=database_files)
        target(Connection(write_fd, readable=False))
        code = 0
    except BaseException:  # noqa: BLE001 - the child reports and exits, it never returns into the parent's code
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            sys.stderr.flush()
        os._exit(code)


def end_child(pid: int) -> None:
    """Kill the child if it still runs and reap it (no zombie left); safe to call twice."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _reset_signals() -> None:
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    for name in _RESET:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _close_inherited(*, keep: set[int], database_files: Iterable[str]) -> None:
    databases = set()
    for path in database_files:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                info = os.stat(f"{path}{suffix}")
                databases.add((info.st_dev, info.st_ino))
    for fd in _open_fds():
        if fd in keep:
            continue
        try:
            info = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISSOCK(info.st_mode) or (info.st_dev, info.st_ino) in databases:
            with contextlib.suppress(OSError):
                os.close(fd)


def _open_fds() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: try the usual range
        return list(range(3, 4096))


def process_alive(pid: int, started: str = "") -> bool:
    """Whether ``pid`` runs on this machine and (given ``started``, see :func:`process_start`) is the same process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    if zombie(pid):
        return False
    return not started or process_start(pid) in ("", started)


def process_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid from the original."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    # After the name: state is field 3, starttime field 22 of proc(5).
    return fields[19] if len(fields) > 19 else ""


def zombie(pid: int) -> bool:
    """A dead process not yet reaped by its parent still answers kill(0); /proc says it is a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


__all__ = ["end_child", "fork_child", "process_alive", "process_start", "zombie"]
