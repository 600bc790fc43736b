"""Benchmark: the data-quality page from its summary tables beside the live count it replaced, same run.

    .venv/bin/python bench/quality.py --rows 100000 [--database-url postgres://...] [--repeat 20]

Fills a throwaway PostgreSQL database with N synthetic rows through the importer (or reuses
``--database-url``), times the worker's rebuild of the tables (``pilar.stats.quality.rebuild``), then, per
grouping (kecamatan, kelurahan, PSM) and for a Dinsos operator (city-wide) and the TKSK of the busiest
kecamatan: the page through Django's test client (p50/p95, queries) and, as the peer, the figures counted live
from the records by the grouped queries the page ran before (``live``, kept here as they were: one GROUP BY
with a filtered count per status, the persons' NIK and an EXISTS on evidence, then every validated record's
two dates for the median). Prints the load average before and after. Target (issue 10): ≤ 300 ms at 1M.
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import prepare, stop  # noqa: E402
from pages import timed, users  # noqa: E402

LIVE_KEYS = {"kecamatan": "kecamatan_id", "kelurahan": "kelurahan_id", "psm": "reported_by_id"}


def live(user, by: str) -> int:
    """The peer: the page's figures counted from the records (the code before the summary tables)."""
    from statistics import median

    from django.db.models import Count, Exists, OuterRef, Q

    from pilar.registry.models import Evidence, PpksRecord, PpksStatus

    key = LIVE_KEYS[by]
    records = PpksRecord.objects.visible_to(user).order_by()
    per_status = {f"s_{s}": Count("id", filter=Q(status=s)) for s in PpksStatus.values}
    rows = list(
        records.values(key).annotate(
            total=Count("id"),
            person_records=Count("id", filter=Q(person__isnull=False)),
            with_nik=Count("id", filter=Q(person__nik__isnull=False)),
            verified=Count("id", filter=Q(status__in=("diverifikasi", "ditetapkan", "keluar"))),
            without_evidence=Count("id", filter=~Exists(Evidence.objects.filter(record=OuterRef("pk")))),
            **per_status,
        )
    )
    durations = defaultdict(list)
    validated = records.filter(validated_at__isnull=False).values_list(key, "proposed_at", "validated_at")
    for group, proposed, validated_at in validated.iterator(chunk_size=10_000):
        durations[group].append((validated_at - proposed).total_seconds() / 86400)
    medians = {group: median(days) for group, days in durations.items()}
    return len(rows) + len(medians)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="an already filled database (PostgreSQL)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--peer-repeat", type=int, default=5, help="the live count is slow: fewer samples")
    args = parser.parse_args()
    db_url, dropped = prepare(args)
    try:
        from django.conf import settings

        from pilar.registry.models import PpksRecord
        from pilar.stats import quality
        from tests.signin import PilarClient

        settings.DEBUG = True  # counts the queries
        operator, tksk, _token = users()
        print(f"\nPostgreSQL, {PpksRecord.objects.count():,} PPKS records")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        started = time.perf_counter()
        quality.rebuild()
        print(f"  rebuild of the tables (the worker's job): {time.perf_counter() - started:.1f} s")
        print("\n| user | grouping | page from tables p50 | p95 | queries | peer: live count p50 | p95 |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for label, user in (("operator", operator), ("TKSK", tksk)):
            client = PilarClient()
            client.force_login(user)
            for by in ("kecamatan", "kelurahan", "psm"):
                p50, p95, queries = timed(client, f"/registri/mutu/?by={by}", args.repeat)
                samples = []
                for _ in range(args.peer_repeat):
                    begun = time.perf_counter()
                    live(user, by)
                    samples.append((time.perf_counter() - begun) * 1000)
                samples.sort()
                peer95 = samples[int(0.95 * (len(samples) - 1))]
                print(
                    f"| {label} | {by} | {p50:.1f} | {p95:.1f} | {queries} | {statistics.median(samples):.1f} | "
                    f"{peer95:.1f} |"
                )
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        stop([], dropped)


if __name__ == "__main__":
    main()
