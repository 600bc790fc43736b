"""Duplicate detection over N synthetic persons: time, peak memory, precision and recall.

    .venv/bin/python bench/dedup.py [--persons 1000000] [--dup-rate 0.05] [--seed 7] [--splink]

Persons come from ``pilar.registry.synth`` (the generator the importer benchmark uses), whose
duplicate rows carry the ``cluster_id`` of the person they copy. The engine runs in memory on the
same tuples ``engine.load_persons`` builds from the database (no database here: reading a million
rows with ``values_list`` is the importer's benchmark, and adds seconds, not minutes). Truth is every
pair inside a cluster; a found pair is right when both persons share a cluster.

``--db N`` also runs the whole ``duplicates_scan`` service on the first N persons in a throwaway
SQLite database, or in the empty database ``--db-url`` names (read, match, write candidates and audit
entries). ``--splink`` runs Splink on DuckDB on the same persons, in its own virtualenv
(``--splink-python``), if it is installed there.
"""

import argparse
import csv
import gc
import gzip
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilar.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def villages(region: str = "36.71"):
    from pilar.registry.synth import Village

    data = Path(__file__).resolve().parent.parent / "pilar" / "regions" / "data" / "wilayah.csv.gz"
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        codes = [row[0] for row in csv.reader(fh) if row and row[0].startswith(region + ".") and row[0].count(".") == 3]
    return [Village(c, c.rsplit(".", 1)[0].replace(".", "")) for c in sorted(codes)]


def generate(n: int, dup_rate: float, seed: int) -> tuple[list[tuple], list[int]]:
    """Raw person rows ``(id, nik, name, sex, born, area)`` and their cluster labels."""
    from pilar.registry.synth import Generator

    vs = villages()
    area = {v.code: i + 1 for i, v in enumerate(vs)}
    rows, labels = [], []
    gc.disable()  # millions of rows without cycles: the collector would only rescan them
    for i, r in enumerate(Generator(vs, seed=seed, dup_rate=dup_rate).rows(n), start=1):
        rows.append((i, r[0] or None, r[2], r[3], date.fromisoformat(r[5]), area[r[6]]))
        labels.append(int(r[12]))
    gc.enable()
    gc.freeze()  # and never again
    return rows, labels


def truth_pairs(labels: list[int]) -> int:
    sizes: dict[int, int] = defaultdict(int)
    for c in labels:
        sizes[c] += 1
    return sum(k * (k - 1) // 2 for k in sizes.values())


def evaluate(pairs, labels: list[int]) -> tuple[float, float, int]:
    tp = sum(1 for a, b, _s in pairs if labels[a - 1] == labels[b - 1])
    truth = truth_pairs(labels)
    return tp / max(1, len(pairs)), tp / max(1, truth), truth


def run_engine(rows, labels) -> dict:
    from pilar.registry.dedup.engine import _no_gc, find_pairs, prepare

    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    with _no_gc():  # as engine.load_persons does
        persons = [prepare(*row) for row in rows]
    t1 = time.perf_counter()
    pairs = find_pairs(persons)
    t2 = time.perf_counter()
    precision, recall, truth = evaluate(pairs, labels)
    return {
        "prepare_s": t1 - t0, "match_s": t2 - t1, "total_s": t2 - t0, "pairs": len(pairs), "truth": truth,
        "precision": precision, "recall": recall, "rss_before_mb": before, "peak_rss_mb": rss_mb(),
    }  # fmt: skip


def run_db(rows, n: int) -> dict:
    """The full service on a throwaway SQLite database: values_list read, match, bulk write."""
    from django.core.management import call_command
    from django.db import connection

    from pilar.identity.models import Person
    from pilar.regions.loader import load_region
    from pilar.regions.models import Region
    from pilar.registry.dedup.services import duplicates_scan
    from pilar.registry.models import DuplicateCandidate

    call_command("migrate", verbosity=0)
    load_region("36.71")
    vs = villages()
    ids = dict(Region.objects.filter(code__in=[v.code for v in vs]).values_list("code", "id"))
    area_id = {i + 1: ids[v.code] for i, v in enumerate(vs)}
    Person.objects.bulk_create(
        (Person(id=pid, nik=nik, name=name, sex=sex, birth_date=born, village_id=area_id[area],
                name_normalized="") for pid, nik, name, sex, born, area in rows[:n]),
        batch_size=5000,
    )  # fmt: skip
    t0 = time.perf_counter()
    created = duplicates_scan(actor=None)
    seconds = time.perf_counter() - t0
    assert DuplicateCandidate.objects.count() == created
    return {"db_persons": n, "db_seconds": seconds, "db_candidates": created, "db_vendor": connection.vendor}


def run_splink(rows, labels, python: str) -> dict | str:
    """Splink (DuckDB) in its own interpreter; returns the reason when it cannot run."""
    script = Path(__file__).with_name("dedup_splink.py")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "persons.csv"
        with open(data, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["unique_id", "nik", "name", "sex", "birth_date", "area", "cluster"])
            for (pid, nik, name, sex, born, area), c in zip(rows, labels, strict=True):
                w.writerow([pid, nik or "", name, sex, born.isoformat(), area, c])
        done = subprocess.run([python, str(script), str(data)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return "skipped: " + (done.stderr.strip().splitlines() or ["failed"])[-1]
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=int, default=0, help="also run duplicates_scan on the first N persons")
    parser.add_argument("--db-url", default="", help="empty database for --db (default: temporary SQLite)")
    parser.add_argument("--splink", action="store_true")
    parser.add_argument("--splink-python", default="/tmp/splink-venv/bin/python")
    args = parser.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = args.db_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    django.setup()

    t0 = time.perf_counter()
    rows, labels = generate(args.persons, args.dup_rate, args.seed)
    print(f"generated {len(rows):,} persons in {time.perf_counter() - t0:.1f} s (dup rate {args.dup_rate})")
    result = run_engine(rows, labels)
    print(
        f"engine: prepare {result['prepare_s']:.1f} s + match {result['match_s']:.1f} s = {result['total_s']:.1f} s; "
        f"pairs {result['pairs']:,} (truth {result['truth']:,}); precision {result['precision']:.4f}, "
        f"recall {result['recall']:.4f}; peak RSS {result['peak_rss_mb']:.0f} MB "
        f"(after generation {result['rss_before_mb']:.0f} MB)"
    )
    if args.db:
        r = run_db(rows, args.db)
        print(f"duplicates_scan on {r['db_vendor']}: {r['db_persons']:,} persons, {r['db_candidates']:,} candidates "
              f"in {r['db_seconds']:.1f} s")  # fmt: skip
    if args.splink:
        print("splink:", run_splink(rows, labels, args.splink_python))


if __name__ == "__main__":
    main()
