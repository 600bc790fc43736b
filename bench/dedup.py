"""Duplicate detection over N synthetic persons: time, peak memory, precision and recall.

    .venv/bin/python bench/dedup.py [--persons 1000000] [--dup-rate 0.05] [--seed 7] [--splink] [--missed N]
        [--false N] [--blocks]

Persons come from ``pilar.registry.synth`` (the generator the importer benchmark uses), whose
duplicate rows carry the ``cluster_id`` of the person they copy. The engine runs in memory on the
same tuples ``engine.load_persons`` builds from the database (no database here: reading a million
rows with ``values_list`` is the importer's benchmark, and adds seconds, not minutes). Truth is every
pair inside a cluster; a found pair is right when both persons share a cluster.

``--db N`` also runs the whole ``duplicates_scan`` service on the first N persons in a throwaway
SQLite database, or in the empty database ``--db-url`` names (read, match, write candidates and audit
entries). ``--splink`` runs Splink on DuckDB on the same persons, in its own virtualenv
(``--splink-python``), if it is installed there. ``--missed N`` sorts the true pairs the engine missed by
cause (not blocked, NIKs, twins rule, dropped beside a stronger match, under the cut by date kind) and prints
N of them; ``--false N`` sorts
the wrong pairs it proposed by cause (the key that met them, dates, names, kelurahan, KK, NIKs, namesakes in
the kelurahan) and prints N; ``--blocks`` prints the block sizes, pairs tried and CPU per blocking key. CPU
time is printed beside wall time, and the load average beside both: the machine is shared.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilar.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def villages(region: str = "36.71"):
    from pilar.registry.synth import Village

    data = Path(__file__).resolve().parent.parent / "pilar" / "regions" / "data" / "wilayah.csv.gz"
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        codes = [row[0] for row in csv.reader(fh) if row and row[0].startswith(region + ".") and row[0].count(".") == 3]
    return [Village(c, c.rsplit(".", 1)[0].replace(".", "")) for c in sorted(codes)]


def generate(n: int, dup_rate: float, seed: int, data: str) -> tuple[list[tuple], list[int], list[list[str]]]:
    """Raw person rows ``(id, nik, kk, name, sex, born, area)``, their cluster labels and corruption kinds."""
    gc.disable()  # millions of rows without cycles: the collector would only rescan them
    if data == "office":
        from dedup_office import generate as office

        rows, labels, kinds = office(n, dup_rate, seed, areas=len(villages()))
    else:
        rows, labels, kinds = _synth(n, dup_rate, seed)
    gc.enable()
    gc.freeze()  # and never again
    return rows, labels, kinds


def _synth(n: int, dup_rate: float, seed: int) -> tuple[list[tuple], list[int], list[list[str]]]:
    from pilar.registry.synth import Generator, stored_birth_date

    vs = villages()
    area = {v.code: i + 1 for i, v in enumerate(vs)}
    rows, labels, kinds = [], [], []
    for i, r in enumerate(Generator(vs, seed=seed, dup_rate=dup_rate).rows(n), start=1):
        rows.append((i, r[0] or None, r[1] or None, r[2], r[3], stored_birth_date(r[5]), area[r[6]]))
        labels.append(int(r[12]))
        kinds.append(r[13].split("+") if r[13] else [])
    return rows, labels, kinds


def truth(labels: list[int], kinds: list[list[str]]) -> dict[tuple[int, int], frozenset[str]]:
    """Every pair inside a cluster (ids), with the corruption kinds that separate its two rows."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(labels):
        members[c].append(i)
    pairs: dict[tuple[int, int], frozenset[str]] = {}
    for ids in members.values():
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                pairs[(i + 1, j + 1)] = frozenset(kinds[i]) | frozenset(kinds[j])
    return pairs


def evaluate(found: list[tuple[int, int]], labels: list[int], kinds: list[list[str]]) -> dict:
    true_pairs = truth(labels, kinds)
    hits = {(a, b) if a < b else (b, a) for a, b in found}
    tp = sum(1 for a, b in hits if labels[a - 1] == labels[b - 1])
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair, ks in true_pairs.items():
        for k in ks or ("(none)",):
            per_kind[k][1] += 1
            per_kind[k][0] += pair in hits
    precision, recall = tp / max(1, len(hits)), tp / max(1, len(true_pairs))
    return {
        "pairs": len(hits),
        "truth": len(true_pairs),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(1e-9, precision + recall),
        "per_kind": {k: (v[0] / v[1], v[1]) for k, v in sorted(per_kind.items())},
    }


def why_missed(rows, found: list[tuple[int, int]], labels: list[int], kinds: list[list[str]], show: int) -> None:
    """The true pairs the engine left out, by cause: never blocked together, the NIKs said two people, the
    twins rule, or scored under the cut (by how the birth dates compare); ``show`` of them printed."""
    from collections import Counter

    from pilar.registry.dedup.engine import _no_gc, common_keys, find_pairs, prepare
    from pilar.registry.dedup.scoring import THRESHOLD, _twins, date_agreement, nik_evidence, score

    with _no_gc():
        persons = [prepare(*row) for row in rows]
    blocked = {(a, b) for a, b, _s in find_pairs(persons, threshold=0.0, best_only=False)}
    common, hits = common_keys(persons), set(found)
    causes: Counter = Counter()
    printed = 0
    for (a, b), ks in sorted(truth(labels, kinds).items()):
        if (a, b) in hits:
            continue
        pa, pb = persons[a - 1], persons[b - 1]
        if (a, b) not in blocked:
            cause = "not blocked"
        elif nik_evidence(pa, pb) == "different":
            cause = "NIKs say two people"
        elif _twins(pa, pb):
            cause = "taken for twins"
        elif score(pa, pb, None, common) >= THRESHOLD:
            cause = "dropped beside a stronger match"
        else:
            cause = f"under the cut (dates {date_agreement(pa.born, pb.born)[1]})"
        causes[cause] += 1
        if printed < show:
            printed += 1
            print(
                f"    {cause}: {score(pa, pb, None, common):.3f} {rows[a - 1][3]!r} {rows[a - 1][5]} | "
                f"{rows[b - 1][3]!r} {rows[b - 1][5]} [{' '.join(sorted(ks))}]"
            )
    print("  missed pairs by cause: " + ", ".join(f"{c} {n}" for c, n in causes.most_common()))


def why_false(rows, found, labels: list[int], stats: dict, show: int) -> None:
    """The pairs the engine proposed wrongly, by cause: the key that met them, how the birth dates compare, how
    the names compare, kelurahan and KK, whether the name is common, and how many persons of that sex hold the
    name key in the kelurahan (namesakes grow with the registry); ``show`` of them printed."""
    from collections import Counter

    from pilar.registry.dedup.engine import _no_gc, common_keys, prepare
    from pilar.registry.dedup.scoring import SAME_SPELLING, date_agreement, name_similarity, nik_evidence, score

    with _no_gc():
        persons = [prepare(*row) for row in rows]
    common = common_keys(persons)
    namesakes = Counter((p.area, p.sex, p.key) for p in persons)
    causes: Counter = Counter()
    printed = 0
    wrong = sorted((a, b) for a, b in found if labels[a - 1] != labels[b - 1])
    # Is either person also in a right pair? Then the wrong one is a second, weaker match beside it.
    matched = {x for a, b in found if labels[a - 1] == labels[b - 1] for x in (a, b)}
    for a, b in wrong:
        pa, pb = persons[a - 1], persons[b - 1]
        sim = name_similarity(pa, pb)
        name = "same key" if sim == 1.0 else "spelling/order" if sim == SAME_SPELLING else f"fuzzy {sim:.2f}"
        crowd = max(namesakes[(pa.area, pa.sex, pa.key)], namesakes[(pb.area, pb.sex, pb.key)])
        crowd_s = "≤2" if crowd <= 2 else "≤5" if crowd <= 5 else "≤20" if crowd <= 20 else ">20"
        place = "same kel" if pa.area == pb.area else "other kel"
        family = "same KK" if pa.kk and pa.kk == pb.kk else "two KKs" if pa.kk and pb.kk else "KK missing"
        cause = (
            f"{stats['met_by'].get((a, b), '?')} | dates {date_agreement(pa.born, pb.born)[1]} | name {name.split()[0]}"
            f" | {place} | {family} | nik {nik_evidence(pa, pb)} | "
            f"{'common' if pa.key in common or pb.key in common else 'rare'} | namesakes in kel {crowd_s} | "
            f"{'beside a right pair' if a in matched or b in matched else 'alone'} | "
            f"NIKs {bool(pa.nik) + bool(pb.nik)} KKs {bool(pa.kk) + bool(pb.kk)}"
        )
        causes[cause] += 1
        if printed < show:
            printed += 1
            print(
                f"    {score(pa, pb, None, common):.3f} {rows[a - 1][3]!r} {rows[a - 1][5]} kel {pa.area} | "
                f"{rows[b - 1][3]!r} {rows[b - 1][5]} kel {pb.area} [{cause}]"
            )
    print(f"  false pairs by cause ({len(wrong):,}):")
    for cause, n in causes.most_common(30):
        print(f"    {n:6,}  {cause}")
    for part, label in ((0, "key"), (1, "dates"), (2, "name"), (3, "kelurahan"), (7, "namesakes"), (8, "beside")):
        by = Counter()
        for cause, n in causes.items():
            by[cause.split(" | ")[part]] += n
        print(f"  false pairs by {label}: " + ", ".join(f"{c} {n:,}" for c, n in by.most_common()))


def print_blocks(stats: dict) -> None:
    """Per blocking key: the block-size histogram, the pairs in its blocks (probes: the persons met), those
    scored and kept, CPU seconds."""
    from pilar.registry.dedup.engine import BUCKETS, _bucket

    order = [_bucket(b) for b in BUCKETS] + [f">{BUCKETS[-1]}"]
    print("  | key | CPU s | pairs in blocks | scored | kept | " + " | ".join(f"blocks {b}" for b in order) + " |")
    print("  | --- | --- | --- | --- | --- | " + " | ".join("---" for _b in order) + " |")
    for name, entry in stats["keys"].items():
        cells = " | ".join(f"{entry['blocks'].get(b, 0):,}" for b in order)
        print(
            f"  | {name} | {entry['cpu_s']:.1f} | {entry['in_blocks']:,} | {entry['tried']:,} | {entry['kept']:,} | "
            f"{cells} |"
        )


def run_engine(rows, stats: dict | None = None) -> tuple[dict, list[tuple[int, int]]]:
    from pilar.registry.dedup.engine import _no_gc, find_pairs, prepare

    gc.collect()
    before = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    with _no_gc():  # as engine.load_persons does
        persons = [prepare(*row) for row in rows]
    t1 = time.perf_counter()
    pairs = find_pairs(persons, stats=stats)
    t2, c2 = time.perf_counter(), time.process_time()
    # CPU time beside wall time: on a shared machine the wall time says as much about the neighbours.
    timing = {
        "prepare_s": t1 - t0,
        "match_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": c2 - c0,
        "rss_before_mb": before,
        "peak_rss_mb": rss_mb(),
    }
    return timing, [(a, b) for a, b, _s in pairs]


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
        (
            Person(id=pid, nik=nik, name=name, sex=sex, birth_date=born, village_id=area_id[area], name_normalized="")
            for pid, nik, _kk, name, sex, born, area in rows[:n]
        ),
        batch_size=5000,
    )
    t0 = time.perf_counter()
    created = duplicates_scan(actor=None)
    seconds = time.perf_counter() - t0
    assert DuplicateCandidate.objects.count() == created
    return {"db_persons": n, "db_seconds": seconds, "db_candidates": created, "db_vendor": connection.vendor}


def run_splink(rows, python: str) -> tuple[str, list[tuple[int, int]]]:
    """Splink (DuckDB) in its own interpreter: (its time line or why it did not run, the pairs it found)."""
    from pilar.identity.names import normalize_name

    script = Path(__file__).with_name("dedup_splink.py")
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "persons.csv", Path(tmp) / "pairs.csv"
        with open(data, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["unique_id", "nik", "kk", "name", "sex", "birth_date", "area"])
            for pid, nik, kk, name, sex, born, area in rows:
                cleaned = normalize_name(name)  # both engines start from the same cleaned name
                w.writerow([pid, nik or "", kk or "", cleaned, sex, born.isoformat() if born else "", area])
        done = subprocess.run([python, str(script), str(data), str(out)], capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            return "skipped: " + (done.stderr.strip().splitlines() or ["failed"])[-1], []
        with open(out, encoding="utf-8") as fh:
            pairs = [(int(a), int(b)) for a, b in csv.reader(fh)]
    return done.stdout.strip(), pairs


def report(name: str, seconds: float, result: dict) -> None:
    print(
        f"  {name}: {seconds:.1f} s; pairs {result['pairs']:,} (truth {result['truth']:,}); "
        f"precision {result['precision']:.4f}, recall {result['recall']:.4f}, F1 {result['f1']:.4f}"
    )


def per_kind_table(results: dict[str, dict]) -> None:
    names = list(results)
    print("  | kind | true pairs | " + " | ".join(f"recall {n}" for n in names) + " |")
    print("  | --- | --- | " + " | ".join("---" for _n in names) + " |")
    kinds = sorted({k for r in results.values() for k in r["per_kind"]})
    for k in kinds:
        count = next(r["per_kind"][k][1] for r in results.values() if k in r["per_kind"])
        cells = " | ".join(f"{r['per_kind'].get(k, (0.0, 0))[0]:.3f}" for r in results.values())
        print(f"  | {k} | {count:,} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", choices=["synth", "office", "both"], default="both")
    parser.add_argument("--db", type=int, default=0, help="also run duplicates_scan on the first N persons")
    parser.add_argument("--db-url", default="", help="empty database for --db (default: temporary SQLite)")
    parser.add_argument("--missed", type=int, default=-1, help="classify the missed true pairs, print N of them")
    parser.add_argument("--false", type=int, default=-1, help="classify the wrong pairs, print N of them")
    parser.add_argument("--blocks", action="store_true", help="print block sizes, pairs and CPU per blocking key")
    parser.add_argument("--splink", action="store_true")
    parser.add_argument("--splink-python", default="/tmp/splink-venv/bin/python")
    args = parser.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = args.db_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    django.setup()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for data in ("synth", "office") if args.data == "both" else (args.data,):
        t0 = time.perf_counter()
        rows, labels, kinds = generate(args.persons, args.dup_rate, args.seed, data)
        print(
            f"\n[{data}] {len(rows):,} persons generated in {time.perf_counter() - t0:.1f} s "
            f"(dup rate {args.dup_rate}, seed {args.seed})"
        )
        stats: dict | None = {} if args.blocks or args.false >= 0 else None
        timing, found = run_engine(rows, stats)
        results = {"Pilar": evaluate(found, labels, kinds)}
        report("Pilar engine", timing["total_s"], results["Pilar"])
        print(
            f"    prepare {timing['prepare_s']:.1f} s + match {timing['match_s']:.1f} s "
            f"(CPU {timing['cpu_s']:.1f} s); load average {os.getloadavg()[0]:.2f}; peak RSS "
            f"{timing['peak_rss_mb']:.0f} MB (after generation {timing['rss_before_mb']:.0f} MB)"
        )
        if stats is not None and args.blocks:
            print_blocks(stats)
        if stats is not None and args.false >= 0:
            why_false(rows, found, labels, stats, args.false)
        if args.missed >= 0:
            why_missed(rows, found, labels, kinds, args.missed)
        if args.splink:
            line, pairs = run_splink(rows, args.splink_python)
            print(f"  Splink: {line}; load average {os.getloadavg()[0]:.2f}")
            if pairs:
                results["Splink"] = evaluate(pairs, labels, kinds)
                report("Splink", float(line.split(" s")[0]), results["Splink"])
        per_kind_table(results)
        if args.db and data == "synth":
            r = run_db(rows, args.db)
            print(
                f"  duplicates_scan on {r['db_vendor']}: {r['db_persons']:,} persons, {r['db_candidates']:,} "
                f"candidates in {r['db_seconds']:.1f} s"
            )
        del rows, labels, kinds
        gc.unfreeze()
        gc.collect()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
