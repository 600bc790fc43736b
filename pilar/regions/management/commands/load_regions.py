from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilar.core.errors import DomainError
from pilar.regions.loader import load_region


class Command(BaseCommand):
    help = "Muat kode wilayah Kemendagri satu kabupaten/kota beserta kecamatan dan kelurahan/desanya."

    def add_arguments(self, parser):
        parser.add_argument("--region", default=settings.PILAR_REGION, help="Kode kabupaten/kota, mis. 36.71")

    def handle(self, *args, region, **options):
        try:
            result = load_region(region)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{result.name} ({result.code}): {result.kecamatan} kecamatan, {result.kelurahan} kelurahan, "
            f"{result.desa} desa dimuat ({result.created} dibuat, {result.updated} diubah)."
        )
