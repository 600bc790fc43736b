"""Duplicate scans in the background (Django Tasks API): nightly over the registry, or after an import."""

from django_tasks import task

from pilar.registry.dedup.services import duplicates_scan


@task()
def scan_duplicates_task(person_ids: list[int] | None = None) -> int:
    """New candidate pairs; ``person_ids`` (JSON-safe ints) narrows the scan to the persons just imported.

    Runs without an actor: the audit entries of a background scan name no user.
    """
    return duplicates_scan(actor=None, person_ids=person_ids)


@task()
def scan_after_import_task(job_id: int) -> int:
    """New candidate pairs around the persons a finished import brought in: those of its PPKS records and
    the persons it created without one (household members), known by their creation during the job; a
    person another user created meanwhile is scanned too, which does no harm."""
    from pilar.identity.models import Person
    from pilar.registry.models import ImportJob, PpksRecord

    job = ImportJob.objects.get(pk=job_id)
    person_ids = set(
        PpksRecord.objects.filter(import_job_id=job_id, person__isnull=False).values_list("person_id", flat=True)
    )
    if job.started_at and job.finished_at:
        created = Person.objects.filter(created_at__gte=job.started_at, created_at__lte=job.finished_at)
        person_ids.update(created.values_list("id", flat=True))
    return duplicates_scan(actor=None, person_ids=sorted(person_ids)) if person_ids else 0


def queue_scan_after_import(job) -> None:
    """Every import that wrote something is followed by a duplicate scan (in the background)."""
    if job.status == "selesai" and job.created_count and not job.dry_run:
        scan_after_import_task.enqueue(job.pk)
