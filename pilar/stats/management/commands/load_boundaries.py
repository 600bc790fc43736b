"""``pilar load_boundaries <file>``: kelurahan/kecamatan outlines for the dashboard map of another region."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pilar.stats.boundaries import BoundaryError, read_file, store


class Command(BaseCommand):
    help = "Muat batas wilayah (GeoJSON atau SQL wilayah_boundaries) untuk peta dasbor."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="berkas .geojson atau .sql (cahyadsn/wilayah_boundaries)")

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            count = store(read_file(path))
        except BoundaryError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self.stdout.write(f"{count} batas wilayah dimuat dari {path}.")
