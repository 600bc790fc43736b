"""``pilar synth-registry --persons N --dup-rate R --seed S --out FILE``: a synthetic registry CSV."""

import time

from django.core.management.base import BaseCommand, CommandParser

from pilar.registry.synth import city_villages, write_csv


class Command(BaseCommand):
    help = "Tulis CSV registri sintetis (orang dalam keluarga, NIK valid, klaster duplikat berlabel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=20_000)
        parser.add_argument("--dup-rate", type=float, default=0.05)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = write_csv(
            options["out"],
            persons=options["persons"],
            dup_rate=options["dup_rate"],
            seed=options["seed"],
            villages=city_villages(),
        )
        self.stdout.write(f"{count} baris ditulis ke {options['out']} ({time.perf_counter() - started:.1f} s)")
