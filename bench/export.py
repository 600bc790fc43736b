"""Benchmark: writing the whole registry as CSV and XLSX the way a big export job does, beside a naive export.

    .venv/bin/python bench/export.py --rows 100000 [--postgres]
    .venv/bin/python bench/export.py --database-url postgres://.../pilar_big    # an already filled database

Builds a fresh database as ``list_latency.py`` does (or reuses ``--database-url``), then runs each writer in a
process of its own, so that the peak RSS printed is that writer's alone:

- ``csv``  / ``xlsx``: ``pilar.registry.exports.write_file`` as an operator, exactly what the task worker runs
  for an ExportJob (rows from ``values_list().iterator()``, the visibility table per row, every cell through
  ``pilar.core.cells``; XLSX by XlsxWriter in constant-memory mode), with its progress callback;
- ``naive``: the peer in the same run, ``csv.writer`` over ``list(queryset.values(...))`` of the same fields.

Prints wall time, rows/s, the file's size and the peak RSS, with the load average. Targets (issue 10): CSV of
1M rows ≤ 60 s, XLSX ≤ 120 s, memory flat.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from list_latency import PG_SERVER, setup  # noqa: E402


def child(kind: str, db_url: str, out: Path) -> None:
    setup(db_url)
    from pilar.accounts.models import Role, RoleAssignment, User
    from pilar.registry import exports, selectors

    user, new = User.objects.get_or_create(username="bench.export")
    if new:
        RoleAssignment.objects.create(user=user, role=Role.OPERATOR)
    records = selectors.ppks_list(user)
    started = time.perf_counter()
    if kind == "naive":
        import csv

        rows = list(records.order_by("id").values(*exports.FIELDS[:15]))
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(exports.FIELDS[:15])
            writer.writerows(row.values() for row in rows)
        count = len(rows)
    else:
        done = [0]
        progress = lambda n: done.__setitem__(0, n)  # noqa: E731
        with exports.write_file(kind, records, user, progress=progress) as written, out.open("wb") as fh:
            while block := written.read(1 << 20):
                fh.write(block)
        count = done[0]
    seconds = time.perf_counter() - started
    print(f"{count}\t{seconds:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return
    dropped, workdir = "", Path(tempfile.mkdtemp(prefix="pilar-bench-export-"))
    if args.database_url:
        db_url = args.database_url
    elif args.postgres:
        import psycopg

        dropped = f"pilar_bench_export_{os.getpid()}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dropped}"')
        db_url = f"{PG_SERVER}/{dropped}"
    else:
        db_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup(db_url)
    from pilar.registry.models import PpksRecord

    if not PpksRecord.objects.exists():
        from pilar.registry.importer import import_file
        from pilar.registry.synth import city_villages, write_csv

        write_csv(workdir / "rows.csv", persons=args.rows, dup_rate=0.02, seed=7, villages=city_villages())
        job = import_file(workdir / "rows.csv", mode="valid-rows")
        print(f"imported {job.created_count:,} PPKS rows ({job.status})")
    backend = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
    print(
        f"\n{backend}, {PpksRecord.objects.count():,} PPKS records; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for kind, label in (("csv", "CSV (export job)"), ("xlsx", "XLSX (export job)"), ("naive", "peer: naive CSV")):
        out = workdir / f"export.{kind}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        answer = subprocess.run(
            [sys.executable, __file__, "--child", kind, db_url, str(out)],  # noqa: S603
            capture_output=True,
            text=True,
            check=True,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        count, seconds = answer.stdout.strip().splitlines()[-1].split("\t")
        rows, wall = int(count), float(seconds)
        rss = f"{peak / 1024:.0f} MB" if peak > before else f"≤ {before / 1024:.0f} MB (not above an earlier child)"
        print(
            f"  {label:<20} {rows:>9,} rows  {wall:7.1f} s  {rows / wall:9,.0f} rows/s  "
            f"{out.stat().st_size / 1e6:7.1f} MB file  peak RSS {rss}  load {os.getloadavg()[0]:.2f}"
        )
        out.unlink()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if dropped:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


if __name__ == "__main__":
    main()
