"""``pilar erase-complaint-contacts [--days N]``: erase reporters' contacts and photos of triaged complaints.

Run daily (cron or a scheduler). N defaults to ``PILAR_COMPLAINT_CONTACT_DAYS`` (365).
"""

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pilar.complaints.services import complaints_erase_contacts


class Command(BaseCommand):
    help = "Hapus nama, telepon pelapor dan foto pengaduan yang sudah ditinjau lebih dari N hari yang lalu."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=getattr(settings, "PILAR_COMPLAINT_CONTACT_DAYS", 365))

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 1:
            raise CommandError("--days paling sedikit 1.")
        erased = complaints_erase_contacts(triaged_before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Kontak pelapor dihapus dari {erased} pengaduan yang ditinjau lebih dari {days} hari lalu.")
