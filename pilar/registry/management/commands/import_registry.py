"""``pilar import-registry FILE [--mode all-or-nothing|valid-rows] [--dry-run] [--user USERNAME] [--profile NAME]``."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pilar.registry.dedup.tasks import queue_scan_after_import
from pilar.registry.importer import import_file
from pilar.registry.importer.mapping import all_profiles, profile_named
from pilar.registry.models import ImportJob


class Command(BaseCommand):
    help = "Impor data PPKS dari CSV/XLSX (satu transaksi; berkas kesalahan ditulis di samping berkas)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--mode", choices=ImportJob.Mode.values, default=ImportJob.Mode.ALL_OR_NOTHING)
        parser.add_argument("--dry-run", action="store_true", help="periksa dan hitung saja, tanpa menyimpan")
        parser.add_argument("--user", help="nama pengguna yang tercatat sebagai pengimpor")
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="impor juga baris yang kategorinya tidak cocok dengan usia/jenis kelamin",
        )
        parser.add_argument("--profile", default="", help="profil pemetaan kolom (mis. dtks, atau profil tersimpan)")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna tidak ditemukan: {options['user']}")
        if options["profile"] and profile_named(options["profile"]) is None:
            names = ", ".join(p.name for p in all_profiles())
            raise CommandError(f"Profil impor tidak ditemukan: {options['profile']} (yang ada: {names})")
        job = import_file(
            path,
            user=user,
            mode=options["mode"],
            dry_run=options["dry_run"],
            progress=self._progress,
            keep_file=True,
            profile=options["profile"],
            accept_warnings=options["accept_warnings"],
        )
        self.stdout.write("")
        self.stdout.write(
            f"Status: {job.get_status_display()}. Baris: {job.total_rows}, baru: {job.created_count}, "
            f"sudah ada: {job.unchanged_count}, bermasalah: {job.error_count}, konflik: {job.conflict_count}."
        )
        self.stdout.write(job.message)
        queue_scan_after_import(job)
        if job.error_file:
            target = path.with_name(path.name + ".errors.csv")
            with job.error_file.open("rb") as source:
                target.write_bytes(source.read())
            self.stdout.write(f"Berkas kesalahan: {target}")
        if job.status in (ImportJob.Status.REJECTED, ImportJob.Status.FAILED):
            sys.exit(1)  # nothing was imported because of errors

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"\r{done:,} / {total:,} baris".replace(",", "."), ending="")
        self.stdout.flush()
