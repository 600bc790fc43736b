"""``pilar doctor``: the checks of ``/readyz`` plus configuration, each with advice."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilar.ops import health

MARK = {health.OK: "OK   ", health.WARN: "AWAS ", health.FAIL: "GAGAL"}


def configuration_checks() -> list[health.Check]:
    checks = []
    if not settings.SECRET_KEY_IS_SET and not settings.DEBUG:
        checks.append(health.Check("secret_key", health.FAIL, "SECRET_KEY kosong", "Isi SECRET_KEY di /etc/pilar.env."))
    email = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    checks.append(
        health.Check(
            "mail",
            health.OK if email == "smtp" else health.WARN,
            f"surel: {email}",
            "" if email == "smtp" else "Isi EMAIL_HOST dkk. agar notifikasi terkirim (docs/operations.md).",
        )
    )
    return checks


class Command(BaseCommand):
    help = "Periksa kesehatan instalasi Pilar (basis data, migrasi, antrean, pekerja, disk, cadangan, surel)."

    def handle(self, *args: Any, **options: Any) -> None:
        status, body = health.readiness()
        checks = [health.Check(**c) for c in body["checks"].values()]
        if status == 200:
            checks.insert(1, health.check_migrations())
        checks += configuration_checks()
        for check in checks:
            line = f"{MARK[check.status]} {check.name:<12} {check.detail}"
            self.stdout.write(
                line + (f"\n      → {check.advice}" if check.advice and check.status != health.OK else "")
            )
        if any(c.status == health.FAIL for c in checks):
            raise CommandError("Ada pemeriksaan yang gagal.")
