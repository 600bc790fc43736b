"""``pilar remind-overdue-cases [--queue]``: tell workers about cases past their stage's target, once per stage."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pilar.cases.services import case_remind_overdue
from pilar.cases.tasks import remind_overdue_cases


class Command(BaseCommand):
    help = "Kirim pengingat untuk kasus yang melewati batas waktu tahapnya (sekali per kasus per tahap)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="antrekan sebagai tugas latar, jangan jalankan di sini"
        )

    def handle(self, *args: Any, queue: bool, **options: Any) -> None:
        if queue:
            result = remind_overdue_cases.enqueue()
            self.stdout.write(f"Tugas pengingat diantrekan ({result.id}).")
            return
        count = case_remind_overdue()
        self.stdout.write(f"{count} kasus terlambat diingatkan.")
