"""``pilar find-duplicates``: scan the whole registry for likely duplicate persons and print counts and time."""

import time

from django.core.management.base import BaseCommand, CommandParser

from pilar.identity.models import Person
from pilar.registry.dedup.services import duplicates_scan
from pilar.registry.models import DuplicateCandidate


class Command(BaseCommand):
    help = "Cari kandidat duplikat orang di seluruh registri (atau di sekitar ID tertentu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--person",
            type=int,
            action="append",
            dest="person_ids",
            help="hanya di sekitar orang dengan ID ini (boleh berulang)",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        created = duplicates_scan(actor=None, person_ids=options["person_ids"])
        seconds = time.perf_counter() - started
        open_count = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).count()
        self.stdout.write(
            f"{Person.objects.count()} orang diperiksa, {created} kandidat baru, "
            f"{open_count} kandidat terbuka ({seconds:.1f} s)"
        )
