"""Background work of the registry (Django Tasks API: the database backend by default)."""

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from pilar.accounts.models import User
from pilar.core.uploads import size_of
from pilar.registry import importer
from pilar.registry.dedup.tasks import queue_scan_after_import
from pilar.registry.importer import MAX_IMPORT_BYTES
from pilar.registry.importer.services import import_jobs_fail_gone
from pilar.registry.models import ImportJob


@task()
def run_import(job_id: int) -> str:
    """Run a queued import; the uploaded file is copied to a local temporary file first (storage may be S3)."""
    import_jobs_fail_gone()  # a restarted worker fails what its killed predecessor left running
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status  # delivered twice, or already failed: never run a job a second time
    with local_copy(job) as path:
        job = importer.run_import(job, path)
    queue_scan_after_import(job)
    return job.status


@contextmanager
def local_copy(job: ImportJob) -> Iterator[Path]:
    """The job's stored file as a local temporary file (storage may be S3), removed afterwards."""
    suffix = Path(job.file_name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as local:
        with job.file.open("rb") as source:
            shutil.copyfileobj(source, local, 1 << 20)
        local.flush()
        yield Path(local.name)


def import_start(
    *,
    actor: User,
    uploaded_file: UploadedFile,
    mode: str,
    dry_run: bool = False,
    profile: str = "",
    preview: bool = False,
    accept_warnings: bool = False,
) -> ImportJob:
    """Save the upload, record its checksum, create the job and queue it (it runs after this commits).

    With ``preview`` the job waits as a draft until the column mapping is confirmed (:func:`import_confirm`).
    """
    if mode not in ImportJob.Mode.values:
        raise ValueError(f"unknown import mode {mode!r}")
    name = Path(uploaded_file.name or "impor.csv").name[:255]
    status = ImportJob.Status.DRAFT if preview else ImportJob.Status.QUEUED
    job = ImportJob(
        user=actor if getattr(actor, "pk", None) else None,
        file_name=name,
        mode=mode,
        dry_run=dry_run,
        profile=profile,
        accept_warnings=accept_warnings,
        status=status,
    )
    size = size_of(uploaded_file)
    if size > MAX_IMPORT_BYTES:
        # Not even stored: the limit protects the disk as much as the database.
        job.status, job.finished_at = ImportJob.Status.REJECTED, timezone.now()
        job.message = _("Berkas terlalu besar (%(size)d MB); batasnya %(limit)d MB. Pecah menjadi beberapa berkas.") % {
            "size": size // (1024 * 1024),
            "limit": MAX_IMPORT_BYTES // (1024 * 1024),
        }
        job.error_count = 1
        job.save()
        return job
    digest = hashlib.sha256()
    for block in uploaded_file.chunks():
        digest.update(block)
    job.checksum = digest.hexdigest()
    uploaded_file.seek(0)
    job.file.save(name, uploaded_file, save=False)
    job.save()
    if not preview:
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


@transaction.atomic
def import_confirm(*, job: ImportJob, actor: User, columns: dict[str, int], profile: str = "") -> ImportJob:
    """Queue a draft import with the mapping chosen in its preview (field -> column index)."""
    from pilar import audit
    from pilar.core.errors import DomainError

    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.DRAFT:
        raise DomainError(_("Impor ini sudah dijalankan; pemetaan kolomnya tidak dapat diubah lagi."), code="conflict")
    job.columns, job.profile, job.status = columns, profile, ImportJob.Status.QUEUED
    job.save(update_fields=["columns", "profile", "status", "updated_at"])
    audit.record(actor, "registry.import.mapped", job, data={"columns": columns, "profile": profile})
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


@task()
def run_export(job_id: int) -> str:
    """Write a queued big export (``export_jobs.export_run``)."""
    from pilar.registry.export_jobs import export_run
    from pilar.registry.export_models import ExportJob

    job = ExportJob.objects.filter(pk=job_id).select_related("user").first()
    return export_run(job).status if job is not None else "hilang"
