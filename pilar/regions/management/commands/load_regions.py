"""``pilar load-regions``: load the city's Kemendagri regions into the database (idempotent)."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilar.core.errors import DomainError
from pilar.regions.loader import load_region


class Command(BaseCommand):
    help = "Muat kode wilayah Kemendagri satu kabupaten/kota beserta kecamatan dan kelurahan/desanya."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--region",
            default=None,
            metavar="KODE",
            help=f"Kode kabupaten/kota, mis. 36.71 atau 3671 (bawaan: PILAR_REGION = {settings.PILAR_REGION}).",
        )

    def handle(self, *args: Any, region: str | None, **options: Any) -> None:
        try:
            # None lets the loader read PILAR_REGION at call time rather than at parser build time.
            result = load_region(region)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{result.name} ({result.code}): {result.kecamatan} kecamatan, {result.kelurahan} kelurahan, "
            f"{result.desa} desa dimuat ({result.created} dibuat, {result.updated} diubah)."
        )
