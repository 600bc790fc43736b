"""``pilar restore ARCHIVE``: into an empty database and media folder, then checked against the manifest."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pilar.core.errors import DomainError
from pilar.core.formatting import thousands
from pilar.ops import backup
from pilar.ops.management.commands.backup import passphrase_from


class Command(BaseCommand):
    help = "Pulihkan arsip cadangan ke basis data dan folder unggahan yang kosong, lalu periksa isinya."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, metavar="ARSIP")
        parser.add_argument("--passphrase-file", metavar="BERKAS", help="frasa sandi arsip terenkripsi")
        parser.add_argument(
            "--force", action="store_true", help="hapus isi basis data dan folder unggahan tujuan lebih dulu"
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        try:
            report = backup.restore(archive, passphrase=passphrase_from(options), force=force)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not report.ok:
            raise CommandError("Pemulihan selesai tetapi TIDAK cocok dengan manifest: " + "; ".join(report.problems))
        self.stdout.write(
            f"Dipulihkan dan diperiksa: {report.tables} tabel, {thousands(report.rows)} baris, "
            f"{thousands(report.media_files)} berkas unggahan."
            " Lanjutkan dengan `pilar migrate` (lihat docs/operations.md)."
        )
