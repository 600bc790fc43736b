"""The periodic jobs, in Asia/Jakarta time: what runs, when, and the function that does it.

The schedule is here once; ``pilar worker`` (or ``pilar scheduler``) fires each job at its time by enqueueing
``run_job`` in the task queue, and the admin sees every job's last run on the operations page.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Job:
    name: str
    cron: str  # minute hour day-of-month month day-of-week, in settings.TIME_ZONE
    label: Any
    run: Callable[[], Any]


def heartbeat() -> str:
    return "ok"  # that the worker ran it at all is the heartbeat (see health.check_worker)


def remind_overdue_cases() -> int:
    from pilar.cases.services import case_remind_overdue

    return case_remind_overdue()


def remind_overdue_referrals() -> int:
    from pilar.referrals.services import referrals_remind_overdue

    return referrals_remind_overdue()


def remind_activity_reports() -> int:
    from pilar.activities.selectors import month_start, previous_month
    from pilar.activities.services.reminders import reports_remind_missing

    return reports_remind_missing(period=previous_month(month_start(timezone.localdate())))


def clear_sessions() -> str:
    call_command("clearsessions")
    return "ok"


def prune_task_results() -> str:
    if settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
        call_command("prune_db_task_results", "--min-age-days", str(settings.PILAR_TASK_RESULT_DAYS), verbosity=0)
    return "ok"


def prune_idempotency_keys() -> int:
    from pilar.core.idempotency import prune_expired

    return prune_expired()


def retry_mail() -> int:
    from pilar.notifications.mail import mail_retry_due

    return mail_retry_due()


def backup() -> str:
    from pilar.ops import backup as archives

    record = archives.create_backup(
        out_dir=Path(settings.PILAR_BACKUP_DIR), passphrase=os.environ.get("PILAR_BACKUP_PASSPHRASE") or None
    )
    removed = archives.rotate(Path(settings.PILAR_BACKUP_DIR), **settings.PILAR_BACKUP_KEEP)
    return f"{record.path} ({record.rows} baris, {record.media_files} berkas); {len(removed)} arsip lama dihapus"


def retention() -> int:
    from pilar.rights.retention import retention_run_all

    return retention_run_all()


def rebuild_dashboard_tallies() -> str:
    from pilar.stats.tally import rebuild

    rebuilt = rebuild()
    return f"sampai peristiwa #{rebuilt.last_event_id}"


def fail_gone_jobs() -> str:
    """Imports and exports left "berjalan" by a process that died (kill -9 of a CLI or worker) are failed within
    a minute even if nobody opens their page (which fails them too)."""
    from pilar.registry.export_jobs import exports_fail_gone
    from pilar.registry.export_models import ExportJob
    from pilar.registry.importer.services import import_jobs_fail_gone

    exports_fail_gone(ExportJob.objects.all())
    return f"{import_jobs_fail_gone()} impor gagal"


def rebuild_quality_tallies() -> str:
    from pilar.stats.quality import rebuild

    rebuilt = rebuild()
    return f"sampai peristiwa #{rebuilt.last_event_id}"


def monthly_reports() -> str:
    from pilar.reports.services import reports_generate_due

    return f"{reports_generate_due()} laporan dibuat"


JOBS = [
    Job("heartbeat", "* * * * *", _("Denyut pekerja"), heartbeat),
    Job("fail-gone-jobs", "* * * * *", _("Gagalkan impor/ekspor yang prosesnya berhenti"), fail_gone_jobs),
    Job("backup", "0 1 * * *", _("Cadangan harian dan rotasi"), backup),
    # Includes the erasure of complaint contacts (a retention rule, see pilar.rights.retention).
    Job("retention", "30 1 * * *", _("Aturan retensi data pribadi"), retention),
    Job("clear-sessions", "0 2 * * *", _("Bersihkan sesi kedaluwarsa"), clear_sessions),
    Job("prune-task-results", "15 2 * * *", _("Bersihkan hasil tugas lama"), prune_task_results),
    Job("prune-idempotency-keys", "20 2 * * *", _("Bersihkan kunci pengiriman lapangan lama"), prune_idempotency_keys),
    Job("remind-overdue-cases", "0 7 * * *", _("Pengingat kasus terlambat"), remind_overdue_cases),
    Job("remind-overdue-referrals", "5 7 * * *", _("Pengingat rujukan belum dijawab"), remind_overdue_referrals),
    Job("remind-activity-reports", "10 7 * * *", _("Pengingat laporan kegiatan PSM"), remind_activity_reports),
    Job("retry-mail", "*/5 * * * *", _("Kirim ulang surel yang gagal"), retry_mail),
    # Daily, so that a worker down on the 1st catches up the next day; a month already made is not made again.
    Job("monthly-reports", "30 0 * * *", _("Laporan resmi bulan lalu (dan tahun lalu, pada Januari)"), monthly_reports),
    # Every PILAR_STATS_REBUILD_MINUTES (5 by default): the dashboard shows the time of the last run.
    Job(
        "dashboard-tallies",
        f"*/{settings.PILAR_STATS_REBUILD_MINUTES} * * * *",
        _("Ringkasan angka dasbor dari data registri"),
        rebuild_dashboard_tallies,
    ),
    Job(
        "quality-tallies",
        f"*/{settings.PILAR_STATS_REBUILD_MINUTES} * * * *",
        _("Ringkasan angka mutu data dari data registri"),
        rebuild_quality_tallies,
    ),
]
BY_NAME = {job.name: job for job in JOBS}
