"""Big exports as background work: started by a request, written by the task worker, downloaded as a file.

A request that would stream more than ``PILAR_EXPORT_STREAM_MAX_ROWS`` rows creates an :class:`ExportJob`
instead and answers at once; the worker (``tasks.run_export``) reads the list with the same filters and the
same field rules for the same user, writes the file with progress, stores it and notifies the user. Nothing
is bounded by a request timeout. A job whose process died is failed the next time it is looked at, as an
import's (``importer.liveness``).
"""

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core.dbrouter import read_replica
from pilar.core.formatting import thousands
from pilar.notifications.services import notify
from pilar.registry import exports, selectors
from pilar.registry.export_models import ExportJob
from pilar.registry.importer.liveness import runner_gone, this_runner

Status = ExportJob.Status


def streams(count: int) -> bool:
    """Whether an export of ``count`` rows is small enough to stream from the request."""
    return count <= settings.PILAR_EXPORT_STREAM_MAX_ROWS


@transaction.atomic
def export_start(*, actor: User, filters: selectors.PpksFilter, kind: str, layout: str, total: int) -> ExportJob:
    """Create the job and queue it (it runs once this commits)."""
    from pilar.registry.tasks import run_export

    job = ExportJob.objects.create(user=actor, format=kind, layout=layout, filters=filters.__dict__, total_rows=total)
    audit.record(actor, "registry.export.started", job, data={"filters": job.filters, "rows": total})
    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def export_run(job: ExportJob) -> ExportJob:
    """Write the job's file; called by the task worker. A failure is recorded on the job (and re-raised for the
    worker's log)."""
    claimed = ExportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), runner=this_runner()
    )
    if not claimed:
        return job  # delivered twice, or already failed: never written a second time
    records = selectors.ppks_list(job.user, selectors.PpksFilter(**job.filters))

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done_rows=done, heartbeat_at=timezone.now())

    try:
        # The rows from the read replica when one is configured (docs/scaling.md); the job's own row stays on the
        # primary (writes always go there, and a replica may not have the job yet).
        with read_replica():
            out = exports.write_file(job.format, records, job.user, layout=job.layout, progress=progress)
        with out:
            job.file.save(exports.filename(job.format, job.layout), File(out), save=False)
    except Exception as exc:  # the job says why; the worker goes on with the next task
        ExportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, finished_at=timezone.now(), message=_("Ekspor gagal: %(error)s") % {"error": exc}
        )
        raise
    job.refresh_from_db(fields=["done_rows"])
    job.status, job.finished_at = Status.DONE, timezone.now()
    job.save(update_fields=["file", "status", "finished_at", "updated_at"])
    title = _("Ekspor data PPKS siap diunduh (%(rows)s baris).") % {"rows": thousands(job.done_rows)}
    notify(
        recipients=[job.user],
        kind="registry.export.done",
        title=title,
        url=reverse("registry:export_detail", args=[job.pk]),
    )
    return job


def exports_fail_gone(jobs: QuerySet[ExportJob]) -> None:
    """Fail the running jobs among ``jobs`` whose process is gone (a killed or restarted worker)."""
    now = timezone.now()
    for job in jobs.filter(status=Status.RUNNING).only("id", "runner", "heartbeat_at", "started_at"):
        if runner_gone(job, now):
            ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.FAILED,
                finished_at=now,
                message=_("Ekspor terhenti: proses yang menulisnya berhenti sebelum selesai. Mulai ekspor lagi."),
            )


def export_for_user(user: User, pk: int) -> ExportJob:
    """The user's own export job (404 for anyone else's: the file holds what its owner may see)."""
    from django.shortcuts import get_object_or_404

    exports_fail_gone(ExportJob.objects.filter(pk=pk, user=user))
    return get_object_or_404(ExportJob.objects.filter(user=user), pk=pk)
