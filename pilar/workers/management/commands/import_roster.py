"""``pilar import-roster FILE --user NAME [--errors OUT.csv]``: register a PSM/TKSK roster from CSV or XLSX."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pilar.accounts.models import User
from pilar.accounts.permissions import Perm, can
from pilar.workers.roster import roster_import


class Command(BaseCommand):
    help = "Impor daftar PSM/TKSK (CSV/XLSX); baris bermasalah ditulis ke berkas kesalahan."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Nama pengguna Dinsos yang mengimpor (tercatat di audit).")
        parser.add_argument("--errors", type=Path, default=None, help="Tulis berkas kesalahan (CSV) ke sini.")

    def handle(self, *args: Any, file: Path, user: str, errors: Path | None, **options: Any) -> None:
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None or not can(actor, Perm.WORKER_MANAGE):
            raise CommandError(f"Pengguna {user} tidak ada atau tidak boleh mendaftarkan PSM/TKSK.")
        file = Path(file)
        if not file.exists():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        result = roster_import(path=file, actor=actor)
        self.stdout.write(f"{result.created} PSM/TKSK baru; {len(result.errors.rows)} baris bermasalah.")
        if result.errors.count and errors is not None:
            Path(errors).write_text(result.errors.content(), encoding="utf-8-sig")
            self.stdout.write(f"Berkas kesalahan: {errors}")
        result.errors.close()
