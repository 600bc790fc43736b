"""gunicorn settings for Pilar: ``gunicorn -c python:pilar.gunicorn_conf pilar.wsgi:application``.

Sized for the reference machine (2 cores, PostgreSQL on the same host, docs/performance.md):

* 3 processes (cores + 1): Python runs one thread at a time per process, so more processes than cores
  only queue for the CPU; the third covers a process waiting on the database or the disk.
* 4 threads each (``gthread``): a request spends much of its time waiting for PostgreSQL; 12 requests in
  flight keep both cores busy without the memory of 12 processes. Each thread keeps its own database
  connection for ``DB_CONN_MAX_AGE`` seconds (12 connections, well under PostgreSQL's 100).
* 60 s timeout: every page answers in well under a second and long work (imports, big exports, reports)
  runs in the task worker, so a request still running after a minute is stuck, not slow.
* Processes are replaced after ~2,000 requests, staggered, so that no slow leak grows for days.

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
max_requests = _int("PILAR_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall under an import's writes.
# gunicorn creates its own unlinked, private files there (its documented advice for containers and slow disks).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108
accesslog = os.environ.get("PILAR_WEB_ACCESS_LOG", "-")
