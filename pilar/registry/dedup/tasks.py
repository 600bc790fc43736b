"""Duplicate scans in the background (Django Tasks API): nightly over the registry, or after an import."""

from django_tasks import task

from pilar.registry.dedup.services import duplicates_scan


@task()
def scan_duplicates_task(person_ids: list[int] | None = None) -> int:
    """New candidate pairs; ``person_ids`` (JSON-safe ints) narrows the scan to the persons just imported.

    Runs without an actor: the audit entries of a background scan name no user.
    """
    return duplicates_scan(actor=None, person_ids=person_ids)
