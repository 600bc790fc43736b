"""``pilar run-job NAME``: run one periodic job now, in this process (``--list`` shows the schedule)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pilar.ops.jobs import BY_NAME, JOBS
from pilar.ops.tasks import run_job


class Command(BaseCommand):
    help = "Jalankan satu pekerjaan berkala sekarang; --list menampilkan jadwalnya."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", nargs="?", metavar="NAMA")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args: Any, name: str | None, list: bool, **options: Any) -> None:
        if list or not name:
            for job in JOBS:
                self.stdout.write(f"{job.name:<26} {job.cron:<12} {job.label}")
            return
        if name not in BY_NAME:
            raise CommandError(f"Tidak ada pekerjaan '{name}'. Pilihan: {', '.join(BY_NAME)}.")
        self.stdout.write(run_job.call(name))
