"""Duplicate detection end to end: a synthetic registry imported with the importer, then the scan that
follows an import; recall of the labelled duplicate pairs, and where the others went.

    .venv/bin/python bench/dedup_import.py [--persons 20000] [--seed 7] [--db-url postgres://…/empty_db]

The file is ``pilar synth-registry``'s CSV (labelled clusters and corruption kinds); it is imported as
``pilar import-registry FILE --mode valid-rows`` does (``import_file``), and ``scan_after_import_task`` runs
on the job as the queue would run it. Each CSV row is found again by NIK, or without one by the importer's
own key (normalised name, birth date, kelurahan). A true pair ends in one of: both rows imported as two
persons and proposed (found), both imported and not proposed (missed), one row attached to the other's
person at import (the importer resolved it), or a row refused by the import (with the import's message).
Compare with ``bench/dedup.py``, which runs the engine on the same generator's rows without the import.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilar.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--db-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["DATABASE_URL"] = args.db_url or f"sqlite:///{tmp}/bench.sqlite3"
    django.setup()
    from django.core.management import call_command

    from pilar.regions.loader import load_region
    from pilar.registry.synth import city_villages, write_csv

    call_command("migrate", verbosity=0)
    load_region("36.71")
    path = tmp / "registry.csv"
    write_csv(path, persons=args.persons, dup_rate=args.dup_rate, seed=args.seed, villages=city_villages())
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report(*run(path))


def run(path: Path):
    from pilar.registry.dedup.tasks import scan_after_import_task
    from pilar.registry.importer import import_file
    from pilar.registry.models import DuplicateCandidate, ImportJob

    t0 = time.perf_counter()
    job = import_file(path, mode=ImportJob.Mode.VALID_ROWS)
    t1 = time.perf_counter()
    scan_after_import_task.call(job.pk)
    t2 = time.perf_counter()
    print(
        f"import {t1 - t0:.1f} s ({job.total_rows:,} rows, {job.created_count:,} new, {job.unchanged_count:,} "
        f"already there, {job.error_count:,} refused); scan after import {t2 - t1:.1f} s"
    )
    refused = _refused(job)
    found = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id"))
    return path, refused, found


def _refused(job) -> dict[int, str]:
    """Sheet row number (header = 1) → the import's message, from its error file."""
    if not job.error_file:
        return {}
    with job.error_file.open("rb") as fh:
        rows = list(csv.DictReader(fh.read().decode("utf-8-sig").splitlines()))
    key = next(k for k in rows[0] if k.lower().startswith("baris")) if rows else ""
    msg = next(k for k in rows[0] if k.lower().startswith("pesan")) if rows else ""
    return {int(r[key]): r[msg] for r in rows if r.get(key, "").isdigit()}


def _person_of(rows: list[dict]) -> list[int | None]:
    """The person each CSV row became: by NIK, else by the importer's key for persons without one."""
    from pilar.identity.models import Person
    from pilar.identity.names import normalize_name
    from pilar.registry.synth import stored_birth_date

    by_nik = dict(Person.objects.exclude(nik=None).values_list("nik", "id"))
    by_key = {
        (n, b, v): i
        for i, n, b, v in Person.objects.filter(nik=None).values_list(
            "id", "name_normalized", "birth_date", "village__code"
        )
    }
    out = []
    for r in rows:
        if r["NIK"]:
            out.append(by_nik.get(r["NIK"]))
        else:
            key = (normalize_name(r["Nama Lengkap"]), stored_birth_date(r["Tanggal Lahir"]), r["Kode Kelurahan"])
            out.append(by_key.get(key))
    return out


OUTCOMES = (
    "found",
    "missed by the scan",
    "refused at import",
    "attached to one person at import",
    "row not found again",
)


def report(path: Path, refused: dict[int, str], found: set[tuple[int, int]]) -> None:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    persons = _person_of(rows)
    clusters: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        clusters[r["cluster_id"]].append(i)
    fate: Counter[str] = Counter()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    why: Counter[str] = Counter()
    for members in clusters.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                kinds = (rows[i]["dup_kinds"] + "+" + rows[j]["dup_kinds"]).strip("+").split("+")
                sheet = [k + 2 for k in (i, j) if k + 2 in refused]
                a, b = persons[i], persons[j]
                if sheet:
                    outcome = "refused at import"
                    why.update(refused[s].split(":")[0][:70] for s in sheet)
                elif a is None or b is None:
                    outcome = "row not found again"
                elif a == b:
                    outcome = "attached to one person at import"
                else:
                    outcome = "found" if (min(a, b), max(a, b)) in found else "missed by the scan"
                fate[outcome] += 1
                for k in kinds:
                    per_kind[k][outcome] += 1
    total = sum(fate.values())
    imported = fate["found"] + fate["missed by the scan"]
    print(f"true pairs {total:,}: " + ", ".join(f"{k} {v:,}" for k, v in fate.most_common()))
    print(
        f"recall end to end {fate['found'] / max(1, total):.4f}; recall of the scan on pairs imported as two "
        f"persons {fate['found'] / max(1, imported):.4f}"
    )
    print("refusals (import's message, pairs): " + "; ".join(f"{m} ({n})" for m, n in why.most_common(6)))
    print("| kind | pairs | found | missed by scan | refused | attached | not found |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for k in sorted(per_kind):
        c = per_kind[k]
        cells = [sum(c.values()), *(c[o] for o in OUTCOMES)]
        print(f"| {k} | " + " | ".join(f"{n:,}" for n in cells) + " |")


if __name__ == "__main__":
    main()
