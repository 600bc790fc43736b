"""One import from start to end: check the file, validate every row, write in ONE transaction, record the job.

Modes: ``all-or-nothing`` (any problem: nothing is written, the job is ``ditolak``) and
``valid-rows`` (the valid rows are written, every other row is in the error file). Either way
nothing is half-written: the rows, their events, the job's final counts and its audit entry are
committed together, and a crash or a kill rolls all of it back.
"""

import logging
from collections.abc import Iterator
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.core.sheets import ErrorLog, FileError, check_file, counted_rows
from pilar.registry.importer.bulk import open_sink
from pilar.registry.importer.columns import LABELS, HeaderError
from pilar.registry.importer.layout import Layout, NumberedRow, find_layout
from pilar.registry.importer.liveness import ImportStopped, StopFlag, stop_on_signals, this_runner
from pilar.registry.importer.mapping import Profile, profile_named
from pilar.registry.importer.progress import Callback, Progress
from pilar.registry.importer.stream import batches
from pilar.registry.importer.validate import Row
from pilar.registry.importer.writer import Counts, ImportWriter
from pilar.registry.models import ImportJob

logger = logging.getLogger(__name__)

# After a large bulk load PostgreSQL's planner still believes the tables are small until autovacuum
# catches up, and picks plans (hash joins, full scans) that make the registry list slow for minutes.
ANALYZE_AFTER_ROWS = 10_000
ANALYZED_TABLES = (
    "identity_person",
    "registry_household",
    "registry_householdmember",
    "registry_ppksrecord",
    "registry_ppksevent",
)
Status = ImportJob.Status
SKIPPED_KEPT = 500  # runs of skipped rows kept on the job (the count is always exact)


class _Rollback(Exception):
    """Raised inside the transaction to undo it (all-or-nothing with errors, dry runs)."""


def run_import(job: ImportJob, path: Path, *, progress: Callback | None = None) -> ImportJob:
    job.status, job.started_at = Status.RUNNING, timezone.now()
    job.runner, job.heartbeat_at = this_runner(), job.started_at
    job.save(update_fields=["status", "started_at", "runner", "heartbeat_at", "updated_at"])
    errors = ErrorLog()
    try:
        with stop_on_signals() as stop:
            return _run(job, Path(path), errors, progress, stop)
    except ImportStopped as stopped:  # the worker shuts down: rolled back, recorded, retryable
        logger.warning("import %s stopped by %s", job.pk, stopped.signum)
        return _finish(job, Status.FAILED, Counts(), errors, stopped.message)
    except BaseException:
        logger.exception("import %s failed", job.pk)
        _finish(
            job,
            Status.FAILED,
            Counts(),
            errors,
            _("Impor gagal karena kesalahan sistem; tidak ada data yang disimpan."),
        )
        raise
    finally:
        errors.close()


def _run(job: ImportJob, path: Path, errors: ErrorLog, callback: Callback | None, stop: StopFlag) -> ImportJob:
    try:
        kind = check_file(path)
        lines, read = counted_rows(path, kind)
        layout, rows = find_layout(read, mapping=job.columns or None, profile=_profile(job))
    except (FileError, HeaderError) as exc:
        errors.add((0, "", "", "", "", exc.message))
        return _finish(job, Status.REJECTED, Counts(), errors, exc.message)
    job.header_row = layout.header_row
    job.total_rows = max(lines - layout.header_row + 1, 0)  # rows under the header; exact at the end
    job.save(update_fields=["total_rows", "header_row", "updated_at"])
    progress = Progress(job, job.total_rows, callback)
    try:
        return _write(job, rows, layout, errors, progress, stop)
    finally:
        progress.close()


def _profile(job: ImportJob) -> Profile | None:
    if not job.profile:
        return None
    profile = profile_named(job.profile)
    if profile is None:
        raise HeaderError(_("Profil impor %(name)s tidak ada.") % {"name": job.profile})
    return profile


def _valid_batches(
    job: ImportJob, rows: Iterator[NumberedRow], layout: Layout, errors: ErrorLog, progress: Progress, stop: StopFlag
) -> Iterator[list[Row]]:
    read = 0
    job.skipped, job.skipped_rows = [], 0
    for batch, problems, skipped, read, warned in batches(
        rows, layout, expected_rows=job.total_rows, accept_warnings=job.accept_warnings
    ):
        stop.check()
        for problem in problems:
            errors.add(problem)
        for warning in warned:
            errors.warn(warning)
        for first, last, reason in skipped:
            job.skipped_rows += last - first + 1
            if len(job.skipped) < SKIPPED_KEPT:
                job.skipped.append([first, last, reason])
        progress(read)
        yield batch
    job.total_rows = read - job.skipped_rows  # the people's rows, exactly


def _write(
    job: ImportJob, rows: Iterator[NumberedRow], layout: Layout, errors: ErrorLog, progress: Progress, stop: StopFlag
) -> ImportJob:
    all_or_nothing = job.mode == ImportJob.Mode.ALL_OR_NOTHING
    counts = Counts()
    try:
        with transaction.atomic():
            writer = ImportWriter(open_sink(), job.user_id, job.pk, timezone.now(), job.total_rows)
            try:
                for batch in _valid_batches(job, rows, layout, errors, progress, stop):
                    if not (all_or_nothing and errors.count):  # keep validating, stop writing
                        writer.write(batch)
                writer.finish()
                for row, message in writer.notes():
                    errors.warn((row.number, layout.title("kk"), LABELS["kk"], row.name, row.kk or "", message))
            finally:
                writer.close()  # no insert may still run when the transaction commits or rolls back
            counts = writer.counts
            writer.sink.close()
            status, message = _decide(job, counts, errors)
            if status != Status.DONE or job.dry_run:
                raise _Rollback
            _check_keys_now()
            job = _finish(job, status, counts, errors, message)
            # Last before the commit: the audit entry locks the audit chain's head until the commit, and every other
            # change in Pilar writes an audit entry too.
            audit.record(
                job.user,
                "registry.import.completed",
                job,
                data={
                    "file_name": job.file_name,
                    "checksum": job.checksum,
                    "mode": job.mode,
                    "created": counts.created,
                    "unchanged": counts.unchanged,
                    "errors": len(errors.rows),
                    "conflicts": counts.conflicts,
                },
            )
            return job
    except _Rollback:
        pass
    if job.dry_run and status == Status.DONE:
        return _finish(job, status, counts, errors, message)
    return _finish(job, status, Counts(unchanged=counts.unchanged), errors, message)


def _check_keys_now() -> None:
    """Run now the foreign-key checks PostgreSQL would otherwise run at the commit, one per inserted row (seconds
    after a big import): at the commit they would run while the import's audit entry holds the audit chain's head,
    and every change made meanwhile (a verval step, a case note: each writes an audit entry) would wait for them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # runs the checks queued so far
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys, as they were


def _decide(job: ImportJob, counts: Counts, errors: ErrorLog) -> tuple[str, str]:
    bad = len(errors.rows)
    if not bad and counts.created == 0 and counts.unchanged == 0 and counts.conflicts == 0:
        return Status.REJECTED, _("Berkas tidak berisi baris data.")
    if bad and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        return Status.REJECTED, _(
            "Ditolak: %(bad)d baris bermasalah. Tidak ada data yang disimpan; perbaiki berkas sesuai berkas kesalahan."
        ) % {"bad": bad}
    if bad and counts.created == 0 and counts.unchanged == 0 and counts.conflicts == 0:
        return Status.REJECTED, _("Ditolak: tidak ada baris yang valid. Lihat berkas kesalahan.")
    parts = [_("%(n)d data PPKS baru, %(u)d sudah ada (tidak diubah).") % {"n": counts.created, "u": counts.unchanged}]
    if counts.enrollments:
        parts.append(
            _("%(n)d kepesertaan program nasional (PKH/BPNT/PBI) dicatat dari kolom penanda.")
            % {"n": counts.enrollments}
        )
    if counts.conflicts:
        parts.append(
            _(
                "%(n)d baris ditahan sebagai konflik data (NIK atau No KK sudah tercatat dengan data lain); "
                "selesaikan di halaman konflik."
            )
            % {"n": counts.conflicts}
        )
    if bad:
        parts.append(_("%(bad)d baris bermasalah tidak diimpor; lihat berkas kesalahan.") % {"bad": bad})
    if errors.warnings:
        parts.append(
            _(
                "%(n)d peringatan (kategori tidak cocok dengan usia/jenis kelamin, atau No KK yang perlu "
                "diperiksa); lihat berkas laporan."
            )
            % {"n": errors.warnings}
        )
    if job.skipped_rows:
        parts.append(
            _("%(n)d baris bukan data orang dilewati (judul, jumlah, tanda tangan, baris kosong).")
            % {"n": job.skipped_rows}
        )
    if job.dry_run:
        parts.insert(0, _("Uji coba: tidak ada data yang disimpan."))
    return Status.DONE, " ".join(parts)


def _finish(job: ImportJob, status: str, counts: Counts, errors: ErrorLog, message: str) -> ImportJob:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.created_count, job.unchanged_count, job.error_count = (
        counts.created,
        counts.unchanged,
        len(errors.rows) or errors.count,
    )
    job.conflict_count = counts.conflicts
    job.warning_count = errors.warnings
    job.done_rows = job.total_rows if status != Status.FAILED else job.done_rows
    if errors.count or errors.warnings:
        job.error_file.save(f"impor-{job.pk}-kesalahan.csv", errors.as_django_file("kesalahan.csv"), save=False)
    job.save()
    if status == Status.DONE and counts.created >= ANALYZE_AFTER_ROWS and not job.dry_run:
        transaction.on_commit(_refresh_statistics)
    return job


def _refresh_statistics() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(ANALYZED_TABLES))
