"""Health checks for monitoring, ``/healthz``, ``/readyz`` and ``pilar doctor``: counts and ages, no personal data.

Each check answers ``ok``, ``warn`` or ``fail`` with a short figure and, for ``pilar doctor``, advice in
Bahasa Indonesia. Only the database is a hard dependency of serving pages: ``/readyz`` answers 503 when it
is unreachable and 200 otherwise, with the other checks' state in the JSON body.
"""

import shutil
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

OK, WARN, FAIL = "ok", "warn", "fail"
HEARTBEAT_STALE = timedelta(minutes=5)
MIN_FREE_BYTES = 2 * 1024**3


@dataclass
class Check:
    name: str
    status: str
    detail: str
    advice: str = ""


def check_database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check("database", FAIL, type(exc).__name__, "Periksa DATABASE_URL dan layanan PostgreSQL.")
    return Check("database", OK, f"{connection.vendor}, {1000 * (time.perf_counter() - started):.0f} ms")


def check_migrations() -> Check:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return Check("migrations", FAIL, "tidak terbaca", "Basis data belum siap.")
    if pending:
        return Check(
            "migrations", FAIL, f"{len(pending)} migrasi tertunda", "Jalankan `pilar migrate` (docs/operations.md)."
        )
    return Check("migrations", OK, "semua diterapkan")


def check_queue() -> Check:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.endswith("RQBackend"):
        import django_rq

        try:
            queue = django_rq.get_queue("default")
            return Check("task_queue", OK, f"RQ, {queue.count} menunggu")
        except Exception as exc:  # noqa: BLE001 (any Redis failure is a failed check, not a 500)
            return Check("task_queue", FAIL, f"Redis: {type(exc).__name__}", "Periksa REDIS_URL dan layanan Redis.")
    if backend.endswith("DatabaseBackend"):
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        age = (timezone.now() - oldest) if oldest else timedelta(0)
        status = WARN if age > timedelta(minutes=15) else OK
        advice = "Tugas menunggu lama: pastikan `pilar worker` berjalan." if status == WARN else ""
        return Check(
            "task_queue", status, f"basis data, {ready.count()} menunggu, tertua {int(age.total_seconds())} dtk", advice
        )
    return Check("task_queue", OK, backend.rsplit(".", 1)[-1])


def check_worker() -> Check:
    from pilar.ops.models import JobRun

    beat = JobRun.objects.filter(job="heartbeat").values_list("finished_at", flat=True).first()
    if beat is None:
        return Check("worker", WARN, "belum ada denyut", "Jalankan `pilar worker` (pekerja dan penjadwal).")
    age = timezone.now() - beat
    if age > HEARTBEAT_STALE:
        return Check(
            "worker",
            WARN,
            f"denyut terakhir {int(age.total_seconds())} dtk lalu",
            "Pekerja atau penjadwal berhenti: `systemctl status pilar-worker`.",
        )
    return Check("worker", OK, f"denyut {int(age.total_seconds())} dtk lalu")


def check_media_disk() -> Check:
    if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        return Check("media_disk", OK, "penyimpanan objek (S3)")
    folder = Path(settings.MEDIA_ROOT)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    gib = f"{free / 1024**3:.1f} GiB bebas"
    if free < MIN_FREE_BYTES:
        return Check("media_disk", WARN, gib, "Ruang disk berkas unggahan hampir habis.")
    return Check("media_disk", OK, gib)


def check_backup() -> Check:
    from pilar.ops.models import Backup

    last = Backup.objects.order_by("-created_at").first()
    if last is None:
        return Check("backup", WARN, "belum pernah", "Jalankan `pilar backup` dan jadwalnya (docs/operations.md).")
    age = timezone.now() - last.created_at
    hours = age.total_seconds() / 3600
    if hours > settings.PILAR_BACKUP_MAX_AGE_HOURS:
        return Check(
            "backup", WARN, f"terakhir {hours:.0f} jam lalu", "Cadangan terlambat: periksa pekerjaan `backup`."
        )
    return Check("backup", OK, f"terakhir {hours:.1f} jam lalu")


def readiness() -> tuple[int, dict[str, Any]]:
    database = check_database()
    checks = [database]
    if database.status == OK:
        checks += [check_queue(), check_worker(), check_media_disk(), check_backup()]
    worst = FAIL if any(c.status == FAIL for c in checks) else WARN if any(c.status == WARN for c in checks) else OK
    body = {"status": worst, "time": timezone.now().isoformat(), "checks": {c.name: asdict(c) for c in checks}}
    return (503 if database.status == FAIL else 200), body
