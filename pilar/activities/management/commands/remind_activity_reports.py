"""``pilar remind-activity-reports [--period TTTT-BB]``: remind PSM whose monthly report is not yet submitted."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pilar.activities.selectors import month_start, parse_period, previous_month
from pilar.activities.services import reports_remind_missing


class Command(BaseCommand):
    help = "Ingatkan PSM yang belum mengajukan laporan kegiatan bulanan (sekali per PSM per bulan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="", help="bulan laporan TTTT-BB; bawaan: bulan lalu")

    def handle(self, *args: Any, period: str, **options: Any) -> None:
        chosen = parse_period(period) if period else previous_month(month_start(timezone.localdate()))
        if chosen is None:
            raise CommandError("Isi bulan dengan format TTTT-BB, mis. 2026-09.")
        count = reports_remind_missing(period=chosen)
        self.stdout.write(f"{count} PSM diingatkan tentang laporan bulan {chosen:%Y-%m}.")
