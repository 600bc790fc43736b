"""Benchmark: import N synthetic registry rows (default 1,000,000) into a fresh database.

    .venv/bin/python bench/import_registry.py [--rows N] [--postgres] [--no-sqlite] [--iex-rows 20000]

Prints wall time, rows/s and peak RSS of the import for SQLite (a file in a temporary directory)
and, with --postgres, for a throwaway PostgreSQL database; imports the first --iex-rows rows with
django-import-export (per-row ModelResource) into another fresh database and prints the speed
ratio; writes a 200,000-row XLSX with XlsxWriter and times reading it with python-calamine.
Each measurement runs in its own process, so peak RSS belongs to that import alone.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def setup_django(db_url: str) -> None:
    os.environ.update(DATABASE_URL=db_url, DEBUG="1", DJANGO_SETTINGS_MODULE="pilar.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="pilar-bench-media-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from pilar.regions.loader import load_region

    call_command("migrate", verbosity=0)
    load_region()


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def cpu_seconds(who: int) -> float:
    """CPU time (user + system) of this process or of its finished children: what the run costs whatever the load."""
    usage = resource.getrusage(who)
    return round(usage.ru_utime + usage.ru_stime, 1)


def child_import(db_url: str, csv_path: str) -> dict:
    setup_django(db_url)
    from pilar.registry.importer import import_file

    started = time.perf_counter()
    # The synthetic rows carry ~4 % categories that do not fit the age or sex (plausibility warnings): imported
    # all the same, so that every run writes every row, as before the rules existed.
    job = import_file(csv_path, mode="valid-rows", accept_warnings=True)
    seconds = time.perf_counter() - started
    return {
        "rows": job.total_rows,
        "created": job.created_count,
        "errors": job.error_count,
        "status": job.status,
        "seconds": round(seconds, 1),
        "rows_per_s": round(job.total_rows / seconds),
        "peak_mb": peak_mb(),
        "cpu_s": cpu_seconds(resource.RUSAGE_SELF),
        "validator_cpu_s": cpu_seconds(resource.RUSAGE_CHILDREN),
        # The forked validation process (files of 50,000 rows or more) has its own peak.
        "validator_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def child_iex(db_url: str, csv_path: str, rows: int) -> dict:
    setup_django(db_url)
    import csv

    import tablib

    from bench.iex_resource import RecordResource

    with open(csv_path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        # The resource's own columns, filled per row by before_import_row.
        extra = [
            "person",
            "category",
            "kecamatan",
            "kelurahan",
            "rt",
            "rw",
            "address",
            "source",
            "status",
            "proposed_at",
        ]
        data = tablib.Dataset(headers=next(reader) + extra)
        for index, row in enumerate(reader):
            if index >= rows:
                break
            data.append(row + [""] * len(extra))
    started = time.perf_counter()
    result = RecordResource().import_data(data, dry_run=False, use_transactions=True, raise_errors=True)
    seconds = time.perf_counter() - started
    return {
        "rows": len(data),
        "errors": result.has_errors(),
        "seconds": round(seconds, 1),
        "rows_per_s": round(len(data) / seconds),
    }


def child_synth(db_url: str, csv_path: str, rows: int, seed: int) -> dict:
    setup_django(db_url)
    from pilar.registry.synth import city_villages, write_csv

    started = time.perf_counter()
    count = write_csv(csv_path, persons=rows, dup_rate=0.05, seed=seed, villages=city_villages())
    return {"rows": count, "seconds": round(time.perf_counter() - started, 1)}


def child_xlsx(csv_path: str, rows: int) -> dict:
    """An office workbook: letterhead and title rows with a merged cell, a blank row, the header, ``rows`` people,
    a JUMLAH row and a signature block. Timed: calamine alone, and the importer's reading (reader, header found
    by content, every row told a person's row or skipped), which is what an import does before validating."""
    # Django only for the reader's translated messages: no database is touched.
    os.environ.update(DEBUG="1", DJANGO_SETTINGS_MODULE="pilar.settings", DATABASE_URL="sqlite:///:memory:")
    sys.path.insert(0, str(ROOT))
    import csv

    import django

    django.setup()

    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from pilar.core.sheets import iter_rows
    from pilar.registry.importer.layout import RowKinds, find_layout

    path = Path(tempfile.mkdtemp(prefix="pilar-bench-xlsx-")) / "data.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    title = ["PEMERINTAH KOTA TANGERANG", "DINAS SOSIAL", "DAFTAR PENERIMA BANTUAN SOSIAL TAHUN 2026"]
    for index, text in enumerate(title):
        sheet.merge_range(index, 0, index, 8, text)
    at = len(title) + 1  # a blank row under the title
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for index, row in enumerate(csv.reader(fh)):
            if index > rows:
                break
            sheet.write_row(at, 0, row)
            at += 1
    sheet.write_row(at, 0, ["JUMLAH", "", f"{rows} orang"])
    sheet.write_row(at + 2, 5, ["Tangerang, 12 Januari 2026"])
    sheet.write_row(at + 3, 5, ["Mengetahui, Kepala Dinas Sosial"])
    sheet.write_row(at + 6, 5, ["NIP. 19700101 199003 1 001"])
    book.close()
    started = time.perf_counter()
    raw = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    raw_seconds = time.perf_counter() - started
    started = time.perf_counter()
    layout, numbered = find_layout(iter_rows(path, "xlsx"))
    kinds = RowKinds(layout)
    people = skipped = 0
    for _number, cells in numbered:
        if kinds.skip_reason(cells) is None:
            people += 1
        else:
            skipped += 1
    reader_seconds = time.perf_counter() - started
    return {
        "rows": people,
        "skipped": skipped,
        "header_row": layout.header_row,
        "calamine_to_python_s": round(raw_seconds, 2),
        "importer_read_s": round(reader_seconds, 2),
        "size_mb": path.stat().st_size // (1 << 20),
        "sheet_rows": len(raw),
    }


def cpu_ticks() -> list[int]:
    """user, nice, system, idle, iowait, irq, softirq, steal (Linux /proc/stat, all CPUs)."""
    with open("/proc/stat", encoding="ascii") as fh:
        return [int(x) for x in fh.readline().split()[1:9]]


def run_child(*args: str) -> dict:
    """Run one measurement in its own process; adds the load average and the CPU time stolen by the
    hypervisor meanwhile (a shared virtual machine's neighbours slow every figure alike)."""
    before = cpu_ticks()
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=False, capture_output=True, text=True)
    if out.returncode:  # say why, instead of a bare CalledProcessError that hides the child's traceback
        sys.stderr.write(out.stderr)
        raise SystemExit(f"bench step {args[0]} failed (exit {out.returncode}); its error is above")
    after = cpu_ticks()
    spent = [b - a for a, b in zip(before, after, strict=True)]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["load"] = round(os.getloadavg()[0], 1)
    result["steal_pct"] = round(100 * spent[7] / max(sum(spent), 1), 1)
    return result


def cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        return next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--iex-rows", type=int, default=20_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child", nargs="+")
    parser.add_argument("--xlsx-only", metavar="CSV", help="only the XLSX read, from an existing synthetic CSV")
    parser.add_argument(
        "--keep",
        metavar="NAME",
        default="",
        help="keep the imported databases for the other benches: PostgreSQL as NAME, SQLite's file",
    )
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {"import": child_import, "iex": child_iex, "xlsx": child_xlsx, "synth": child_synth}[kind](
            *[int(x) if x.isdigit() else x for x in rest]
        )
        print(json.dumps(result))
        return
    work = Path(tempfile.mkdtemp(prefix="pilar-bench-"))
    csv_path = work / "synth.csv"
    print(
        f"machine: {os.cpu_count()} CPU ({cpu_model()}), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 30} GB RAM, load {os.getloadavg()}"
    )
    if args.xlsx_only:
        print(f"xlsx: {run_child('xlsx', args.xlsx_only, str(args.xlsx_rows))}")
        return
    synth = run_child("synth", f"sqlite:///{work / 'synth.sqlite3'}", str(csv_path), str(args.rows), str(args.seed))
    print(f"synth-registry: {synth}")
    targets = [] if args.no_sqlite else [("sqlite", f"sqlite:///{work / 'bench.sqlite3'}")]
    # Named per run: several people may run the bench against one PostgreSQL server at the same time.
    pg_names = [args.keep or f"pilar_bench_import_{os.getpid()}", f"pilar_bench_iex_{os.getpid()}"]
    if args.postgres:
        targets.append(("postgresql", _pg_database(pg_names[0])))
    for name, url in targets:
        result = run_child("import", url, str(csv_path))
        print(f"{name}: {result}")
        if args.keep:
            print(f"{name}: kept as {url}")
        if not args.iex_rows:
            continue
        iex_url = f"sqlite:///{work / 'iex.sqlite3'}" if name == "sqlite" else _pg_database(pg_names[1])
        iex = run_child("iex", iex_url, str(csv_path), str(args.iex_rows))
        print(f"{name} django-import-export: {iex}; ratio {result['rows_per_s'] / iex['rows_per_s']:.0f}x")
    if args.postgres:
        for pg_name in pg_names[1:] if args.keep else pg_names:
            _pg_database(pg_name, create=False)
    if args.xlsx_rows:
        print(f"xlsx: {run_child('xlsx', str(csv_path), str(args.xlsx_rows))}")


def _pg_database(name: str, *, create: bool = True) -> str:
    """A fresh throwaway PostgreSQL database (dropped first if a crashed run left it); ``create=False`` only drops."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {name}")
    return f"{PG_SERVER}/{name}"


if __name__ == "__main__":
    main()
