"""``pilar backup [--out DIR]`` and ``pilar backup --verify ARCHIVE``."""

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilar.core.errors import DomainError
from pilar.core.formatting import thousands
from pilar.ops import backup


def passphrase_from(options: dict[str, Any]) -> str | None:
    """From a file (``--passphrase-file``) or ``PILAR_BACKUP_PASSPHRASE``: never on the command line, where ``ps``
    shows it."""
    path = options.get("passphrase_file")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise CommandError(f"Berkas frasa sandi {path} tidak dapat dibaca: {exc}") from exc
    return os.environ.get("PILAR_BACKUP_PASSPHRASE") or None


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas unggahan ke satu arsip (atau --verify ARSIP: uji arsip)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", type=Path, default=None, help="folder arsip (bawaan: PILAR_BACKUP_DIR)")
        parser.add_argument("--verify", type=Path, metavar="ARSIP", help="uji arsip di basis data sementara")
        parser.add_argument("--passphrase-file", metavar="BERKAS", help="frasa sandi enkripsi")
        parser.add_argument("--rotate", action="store_true", help="setelah mencadangkan, hapus arsip lama (lihat docs)")

    def handle(self, *args: Any, out: Path | None, verify: Path | None, rotate: bool, **options: Any) -> None:
        passphrase = passphrase_from(options)
        try:
            if verify:
                self._verify(verify, passphrase)
                return
            folder = out or Path(settings.PILAR_BACKUP_DIR)
            record = backup.create_backup(out_dir=folder, passphrase=passphrase)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Cadangan ditulis: {record.path} ({thousands(record.size)} bita; {record.tables} tabel, "
            f"{thousands(record.rows)} baris, {thousands(record.media_files)} berkas unggahan"
            f"{', terenkripsi' if record.encrypted else ', TIDAK terenkripsi'})."
        )
        if rotate:
            removed = backup.rotate(folder, **settings.PILAR_BACKUP_KEEP)
            self.stdout.write(f"Rotasi: {len(removed)} arsip lama dihapus.")

    def _verify(self, archive: Path, passphrase: str | None) -> None:
        report = backup.verify(archive, passphrase=passphrase)
        if not report.ok:
            raise CommandError("Verifikasi GAGAL: " + "; ".join(report.problems))
        self.stdout.write(
            f"Verifikasi berhasil: {report.tables} tabel, {thousands(report.rows)} baris dan "
            f"{thousands(report.media_files)} berkas unggahan cocok dengan manifest."
        )
