"""``pilar worker``: the background-task worker with its scheduler of periodic jobs (no cron needed)."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pilar.ops import scheduler


class Command(BaseCommand):
    help = "Jalankan pekerja tugas latar beserta penjadwal pekerjaan berkala (zona waktu kantor)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="hanya pekerja (penjadwal jalan di mesin lain)")
        parser.add_argument("--interval", type=float, default=1.0, help="detik antar-pemeriksaan antrean basis data")

    def handle(self, *args: Any, no_scheduler: bool, interval: float, **options: Any) -> None:
        if not no_scheduler:
            scheduler.build().start()
            self.stdout.write(f"Penjadwal berjalan ({settings.TIME_ZONE}).")
        if settings.TASKS["default"]["BACKEND"].endswith("RQBackend"):
            call_command("rqworker", "default", "--job-class", "django_tasks_rq.Job")
        else:
            call_command("db_worker", "--interval", str(interval), "--no-reload")
