"""gunicorn settings for Pilar: ``gunicorn -c python:pilar.gunicorn_conf pilar.wsgi:application``.

Sized for the reference machine (2 cores, PostgreSQL on the same host, docs/performance.md):

* 3 processes (cores + 1): Python runs one thread at a time per process, so more processes than cores
  only queue for the CPU; the third covers a process waiting on the database or the disk.
* 4 threads each (``gthread``): a request spends much of its time waiting for PostgreSQL; 12 requests in
  flight keep both cores busy without the memory of 12 processes. Each thread keeps its own database
  connection for ``DB_CONN_MAX_AGE`` seconds (12 connections, well under PostgreSQL's 100).
* 60 s timeout: every page answers in well under a second and long work (imports, big exports, reports)
  runs in the task worker, so a request still running after a minute is stuck, not slow.
* The application is imported once, in the master, before the processes are forked (``preload_app``): a
  process that replaces another starts in milliseconds with Django and Pilar already loaded, instead of
  spending a second or two of CPU importing them again while the others serve, and the processes share the
  imported code's memory. No database connection is opened at import (tests/ops/test_gunicorn_conf.py), so
  no connection is shared across the fork. A deploy therefore restarts the service (``systemctl restart``),
  which the update steps do anyway; a HUP alone would keep the old code.
* Processes are replaced after ~10,000 requests, staggered, so that no slow leak grows for days (at 60
  requests/s, one process every ~8 minutes, not one every ~30 seconds as with 2,000).

Each value can be changed from the environment (``PILAR_WEB_*``), for a bigger machine or a second one.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("PILAR_WEB_BIND", "127.0.0.1:8000")
workers = _int("PILAR_WEB_WORKERS", multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("PILAR_WEB_THREADS", 4)
timeout = _int("PILAR_WEB_TIMEOUT", 60)
graceful_timeout = 30  # a restart lets running requests finish, then stops
keepalive = 5  # nginx in front keeps its connections to gunicorn open
preload_app = True
max_requests = _int("PILAR_WEB_MAX_REQUESTS", 10000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall under an import's writes.
# gunicorn creates its own unlinked, private files there (its documented advice for containers and slow disks).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108
accesslog = os.environ.get("PILAR_WEB_ACCESS_LOG", "-")
