"""``pilar load-region-data``: load a region data pack (agencies, programs, incentive rates)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilar.core.errors import DomainError
from pilar.regional.loader import load_pack, read_pack, shipped_pack


class Command(BaseCommand):
    help = (
        "Muat paket data daerah (OPD, program, tarif insentif) untuk kota/kabupaten ini; yang sudah ada tidak diubah."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--region", metavar="KODE", help="paket bawaan Pilar untuk kode wilayah ini")
        source.add_argument("--file", type=Path, metavar="BERKAS", help="paket JSON milik kantor sendiri")

    def handle(self, *args: Any, region: str | None, file: Path | None, **options: Any) -> None:
        try:
            if file is None:
                region = region or settings.PILAR_REGION
                file = shipped_pack(region)
                if file is None:
                    raise DomainError(
                        f"Tidak ada paket data bawaan untuk {region}: tabel program, OPD dan tarif dibiarkan kosong "
                        "untuk diisi kantor (lihat docs/regions.md), atau muat paket sendiri dengan --file."
                    )
            data = read_pack(file)
            counts = load_pack(data, source=str(file))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{data.get('name', data['region'])}: {counts['agencies']} OPD, {counts['programs']} program, "
            f"{counts['incentive_rates']} tarif insentif dibuat."
        )
