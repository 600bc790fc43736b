"""Importing PPKS data from CSV/XLSX: validated row by row, written in bulk in one transaction."""

import hashlib
from pathlib import Path
from typing import Any

from django.core.files import File

from pilar.core.sheets import MAX_IMPORT_BYTES
from pilar.registry.importer.progress import Callback
from pilar.registry.importer.run import run_import
from pilar.registry.models import ImportJob

__all__ = ["MAX_IMPORT_BYTES", "import_file", "run_import", "sha256_of"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    path: str | Path,
    *,
    user: Any = None,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
    dry_run: bool = False,
    progress: Callback | None = None,
    keep_file: bool = False,
    profile: str = "",
    accept_warnings: bool = False,
) -> ImportJob:
    """Import a file in place, synchronously (CLI, benchmarks). With ``keep_file`` the job keeps a copy
    of the file, so that an import cut short (killed, stopped) can be retried from the import page."""
    path = Path(path)
    job = ImportJob(
        user=user if getattr(user, "pk", None) else None,
        file_name=path.name[:255],
        checksum=sha256_of(path) if path.exists() else "",
        mode=mode,
        dry_run=dry_run,
        profile=profile,
        accept_warnings=accept_warnings,
    )
    if keep_file and path.exists():
        with path.open("rb") as fh:
            job.file.save(job.file_name, File(fh), save=False)
    job.save()
    return run_import(job, path, progress=progress)
