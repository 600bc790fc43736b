"""``pilar audit-verify``: recompute the hash chains of the audit trail and the personal-data access log."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pilar.audit.chain import verify
from pilar.core.formatting import thousands

LABELS = {"audit": "jejak audit", "access": "akses data pribadi"}


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit dan log akses data pribadi; laporkan tautan pertama yang rusak."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if report.broken is not None:
            b = report.broken
            where = f"#{b.seq}" + (f" (id {b.row_id})" if b.row_id else "")
            raise CommandError(f"Rantai {LABELS[b.chain]} rusak pada baris {where}: {b.reason}.")
        for name, count in report.counts.items():
            head = report.heads[name][:16] or "-"
            self.stdout.write(f"{LABELS[name]:<20} {thousands(count):>10} baris utuh, kepala {head}…")
        self.stdout.write("Rantai audit utuh.")
