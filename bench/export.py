"""Benchmark: writing the whole registry as CSV and XLSX the way a big export job does, beside a naive export.

    .venv/bin/python bench/export.py --rows 100000 [--postgres]
    .venv/bin/python bench/export.py --database-url postgres://.../pilar_big    # an already filled database
    .venv/bin/python bench/export.py --database-url ... --peer-tree /path/to/older/checkout --kinds xlsx

Builds a fresh database as ``list_latency.py`` does (or reuses ``--database-url``), then runs each writer in a
process of its own, so that the peak RSS printed is that writer's alone:

- ``csv``  / ``xlsx``: ``pilar.registry.exports.write_file`` as an operator, exactly what the task worker runs
  for an ExportJob (rows from ``values_list().iterator()``, the visibility table per row, every cell through
  ``pilar.core.cells``; XLSX: XlsxWriter's workbook around rows written as the sheet's XML), with its progress
  callback;
- ``naive``: the peer in the same run, ``csv.writer`` over ``list(queryset.values(...))`` of the same fields;
- with ``--peer-tree``: the same export job as written by another checkout's code (e.g. the main branch before a
  change), run by that checkout's own copy of this script, as a second peer in the same run.

Prints wall time, rows/s, the child's CPU time, the file's size and its peak RSS, with the load average.
Targets (issue 10): CSV of 1M rows ≤ 60 s, XLSX ≤ 120 s, memory flat.
"""

import argparse
import os
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
    parser.add_argument("--peer-tree", type=Path, help="another checkout whose export job runs as a peer")
    parser.add_argument("--kinds", default="csv,xlsx,naive", help="which writers, comma-separated")
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
    wanted = args.kinds.split(",")
    runs = [
        (kind, label, Path(__file__))
        for kind, label in (("csv", "CSV (export job)"), ("xlsx", "XLSX (export job)"), ("naive", "peer: naive CSV"))
        if kind in wanted
    ]
    if args.peer_tree:
        peer = args.peer_tree.resolve() / "bench" / "export.py"
        runs += [
            (kind, f"peer: {kind.upper()}, {args.peer_tree.name}", peer) for kind in ("csv", "xlsx") if kind in wanted
        ]
    for kind, label, script in runs:
        out = workdir / f"export.{kind}"
        with tempfile.TemporaryFile("w+") as log:
            child_process = subprocess.Popen(  # noqa: S603
                [sys.executable, str(script), "--child", kind, db_url, str(out)], stdout=log, stderr=subprocess.STDOUT
            )
            _pid, status, usage = os.wait4(child_process.pid, 0)  # this child's own peak RSS, whatever ran before
            child_process.returncode = os.waitstatus_to_exitcode(status)
            log.seek(0)
            output = log.read()
        if child_process.returncode:
            raise SystemExit(f"{label} failed:\n{output}")
        count, seconds = [line for line in output.splitlines() if line.count("\t") == 1][-1].split("\t")
        rows, wall = int(count), float(seconds)
        rss = f"{usage.ru_maxrss / 1024:.0f} MB"
        cpu = usage.ru_utime + usage.ru_stime  # the whole child, Django's start included: the load does not inflate it
        print(
            f"  {label:<20} {rows:>9,} rows  {wall:7.1f} s  {rows / wall:9,.0f} rows/s  CPU {cpu:6.1f} s  "
            f"{out.stat().st_size / 1e6:7.1f} MB file  peak RSS {rss}  load {os.getloadavg()[0]:.2f}",
            flush=True,
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
