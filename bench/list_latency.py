"""Benchmark: server-side latency of the PPKS list and the NIK lookup with N registry rows (default 1,000,000).

    .venv/bin/python bench/list_latency.py [--rows N] [--postgres] [--repeat 40]

Builds a fresh database (SQLite file, or a throwaway PostgreSQL database with --postgres), imports N
synthetic rows with Pilar's importer, then times, through Django's test client as a Dinsos operator
(so the whole request is measured: middleware, scoping, serialisation, the access log):
- the API list filtered by kelurahan and category: the first page, and a deep page (offset ~80 %);
- the page /registri/ with the same filters, first and deep page;
- the NIK lookup (API ``q=<16-digit NIK>``).
The peer, in the same run: Django's own admin changelist of the same table with the same filters.
Prints p50/p95 in milliseconds. Target (issue): p95 <= 100 ms.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def setup(db_url: str) -> None:
    os.environ.update(
        DATABASE_URL=db_url, DEBUG="0", SECRET_KEY="bench-" + "x" * 50, DJANGO_SETTINGS_MODULE="pilar.settings_test"
    )
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="pilar-bench-media-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from pilar.regions.loader import load_region

    call_command("migrate", verbosity=0)
    load_region()


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    client.get(url)  # warm the caches the way a real server is warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], answer.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pilar-bench-list-"))
    if args.postgres:
        import psycopg

        name = f"pilar_bench_list_{os.getpid()}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        db_url = f"{PG_SERVER}/{name}"
    else:
        db_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup(db_url)

    from django.db.models import Count
    from django.test import Client

    from pilar.accounts.models import ApiToken, Role, RoleAssignment, User
    from pilar.registry.importer import import_file
    from pilar.registry.models import PpksRecord
    from pilar.registry.synth import city_villages, write_csv

    csv_path = workdir / "rows.csv"
    write_csv(csv_path, persons=args.rows, dup_rate=0.02, seed=7, villages=city_villages())
    started = time.perf_counter()
    job = import_file(csv_path, mode="valid-rows")
    print(f"imported {job.created_count:,} PPKS rows in {time.perf_counter() - started:.1f} s ({job.status})")

    user = User.objects.create_superuser("bench", password="x" * 12)
    RoleAssignment.objects.create(user=user, role=Role.OPERATOR)
    client = Client()
    client.force_login(user)
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
    busiest = (
        PpksRecord.objects.values("kelurahan__code", "category__code", "kelurahan_id", "category_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    kel, cat, n = busiest["kelurahan__code"], busiest["category__code"], busiest["n"]
    admin_filter = f"kelurahan__id__exact={busiest['kelurahan_id']}&category__id__exact={busiest['category_id']}"
    deep = max(0, int(n * 0.8) // 25 * 25)
    nik = PpksRecord.objects.filter(person__nik__isnull=False).values_list("person__nik", flat=True)[n // 2]
    print(f"filter: kelurahan {kel}, category {cat}: {n:,} rows; deep offset {deep:,}")
    cases = [
        ("API list, first page", f"/api/v1/ppks/?kelurahan={kel}&category={cat}&limit=25"),
        ("API list, deep page", f"/api/v1/ppks/?kelurahan={kel}&category={cat}&limit=25&offset={deep}"),
        ("API NIK lookup", f"/api/v1/ppks/?q={nik}"),
        ("page /registri/, first page", f"/registri/?kelurahan={kel}&category={cat}"),
        ("page /registri/, deep page", f"/registri/?kelurahan={kel}&category={cat}&page={deep // 25 + 1}"),
        ("peer: Django admin changelist, first page", f"/admin/registry/ppksrecord/?{admin_filter}"),
        ("peer: Django admin changelist, deep page", f"/admin/registry/ppksrecord/?{admin_filter}&p={deep // 100}"),
    ]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{backend}, {args.rows:,} synthetic persons, {args.repeat} requests each (ms, server-side)")
    for label, url in cases:
        p50, p95, _ = timed(api if url.startswith("/api/") else client, url, args.repeat)
        print(f"  {label:<45} p50 {p50:7.1f}   p95 {p95:7.1f}")
    if args.postgres:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
