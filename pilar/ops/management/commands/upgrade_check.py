"""``pilar upgrade-check``: before an upgrade, what migrations are pending and whether the last backup is recent."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from pilar.ops.models import Backup


class Command(BaseCommand):
    help = "Sebelum memperbarui: migrasi yang tertunda dan umur cadangan terakhir (keluar 1 bila belum aman)."

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stdout.write(f"{len(plan)} migrasi akan diterapkan oleh `pilar migrate`:")
            for migration, backwards in plan:
                self.stdout.write(f"  {migration.app_label}.{migration.name}{' (mundur)' if backwards else ''}")
        else:
            self.stdout.write("Tidak ada migrasi tertunda.")
        last = Backup.objects.order_by("-created_at").first()
        limit = settings.PILAR_BACKUP_MAX_AGE_HOURS
        if last is None:
            raise CommandError("Belum ada cadangan: jalankan `pilar backup` sebelum memperbarui.")
        hours = (timezone.now() - last.created_at).total_seconds() / 3600
        verified = "terverifikasi" if last.verified_at else "belum diverifikasi (`pilar backup --verify`)"
        self.stdout.write(f"Cadangan terakhir: {last.path}, {hours:.1f} jam lalu, {verified}.")
        if plan and hours > 1:
            raise CommandError(
                "Ada migrasi tertunda dan cadangan terakhir lebih dari 1 jam: jalankan `pilar backup` dulu."
            )
        if hours > limit:
            raise CommandError(f"Cadangan terakhir lebih tua dari {limit} jam: jalankan `pilar backup`.")
        self.stdout.write("Siap diperbarui.")
