"""State changes of import jobs besides running them: failing the ones whose process is gone, retrying (a step of
``registry.workflow.IMPORT``: a failed job with its file kept, retried once; a retry that fails can be retried)."""

from django.db import transaction
from django.utils import timezone

from pilar import audit
from pilar.accounts.models import User
from pilar.registry.importer.liveness import gone_message, runner_gone
from pilar.registry.models import ImportJob
from pilar.registry.workflow import IMPORT

Status = ImportJob.Status


def import_jobs_fail_gone() -> int:
    """Mark failed every running import whose process is gone (killed worker or CLI); returns how many.

    Cheap enough to call whenever imports are listed or shown: it reads only the running jobs.
    """
    now = timezone.now()
    failed = 0
    for job in ImportJob.objects.filter(status=Status.RUNNING).only("id", "runner", "heartbeat_at", "started_at"):
        if runner_gone(job, now):
            failed += _fail_gone(job.pk)
    return failed


@transaction.atomic
def _fail_gone(pk: int) -> int:
    job = ImportJob.objects.select_for_update().get(pk=pk)
    if job.status != Status.RUNNING or not runner_gone(job, timezone.now()):
        return 0  # finished or failed meanwhile
    job.status, job.finished_at, job.message = Status.FAILED, timezone.now(), gone_message(job)
    job.save(update_fields=["status", "finished_at", "message", "updated_at"])
    audit.record(None, "registry.import.process_gone", job, data={"runner": job.runner})
    return 1


@transaction.atomic
def import_retry(*, job: ImportJob, actor: User) -> ImportJob:
    """Queue a new job over the same stored file, mode and options; the failed one stays as it was."""
    job = IMPORT.guard("retry", job, actor)  # failed, its file kept, not retried yet (registry.workflow)
    retry = ImportJob.objects.create(
        user=actor if getattr(actor, "pk", None) else job.user,
        file=job.file.name,
        file_name=job.file_name,
        checksum=job.checksum,
        mode=job.mode,
        dry_run=job.dry_run,
        retry_of=job,
        profile=job.profile,
        columns=job.columns,
        accept_warnings=job.accept_warnings,
    )
    audit.record(actor, "registry.import.retried", retry, data={"retry_of": job.pk, "file_name": job.file_name})
    from pilar.registry.tasks import run_import  # the task module imports the importer

    transaction.on_commit(lambda: run_import.enqueue(retry.pk))
    return retry
