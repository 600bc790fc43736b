"""Benchmark: registry reads while a big import runs into a live registry (default: 1M rows into 1M).

    .venv/bin/python bench/import_live.py [--rows N] [--postgres] [--readers 2] [--baseline 20]

Builds a fresh database (SQLite file, or a throwaway PostgreSQL database with --postgres), loads N
synthetic rows (seed 7) with Pilar's importer, then:
1. baseline (the peer, same run): ``--readers`` threads read the registry for ``--baseline`` seconds
   through Django's test client as a Dinsos operator, nothing else running;
2. the same readers while ``pilar import-registry`` loads another N rows (seed 8) in its own process.
The reads rotate over the registry page filtered by kelurahan, a person's page, the API NIK lookup and
the API list (limit=100). Prints per phase: requests, errors (status other than 200 or an exception),
p50/p95/max in ms, and the import's own time. Target (issue 10): p95 <= 1 s and 0 errors during the import.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.import_registry import _pg_database  # noqa: E402
from bench.list_latency import setup  # noqa: E402


def signed_in(user, readers: int) -> list[tuple[Any, Any]]:
    """A (page, API) client pair per reader, signed in one after the other in this thread: two sign-ins at the
    same moment race for the same authenticator step, and the loser's pages all answer 302 (the code page)."""
    from django.test import Client

    from pilar.accounts.models import ApiToken
    from tests.signin import PilarClient  # signs in past the staff's second factor

    pairs = []
    for _ in range(readers):
        page = PilarClient()
        page.force_login(user)
        pairs.append((page, Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})))
    return pairs


def read_loop(
    urls: list[tuple[str, str]], clients: tuple[Any, Any], stop: threading.Event, out: list, errors: list
) -> None:
    from django.db import connection

    page, api = clients
    rng = random.Random(threading.get_ident())
    try:
        while not stop.is_set():
            _label, url = rng.choice(urls)
            started = time.perf_counter()
            try:
                status = (api if url.startswith("/api/") else page).get(url).status_code
            except Exception as exc:  # noqa: BLE001 - counted as an error, the loop goes on
                status = repr(exc)[:80]
            out.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors.append((url, status))
    finally:
        connection.close()


def phase(name: str, urls, clients: list[tuple[Any, Any]], until) -> None:
    stop, samples, errors = threading.Event(), [], []
    threads = [threading.Thread(target=read_loop, args=(urls, pair, stop, samples, errors)) for pair in clients]
    for thread in threads:
        thread.start()
    until()
    stop.set()
    for thread in threads:
        thread.join()
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))] if samples else 0
    print(
        f"  {name:<34} requests {len(samples):5d}  errors {len(errors):3d}  p50 {statistics.median(samples):7.1f}  "
        f"p95 {p95:7.1f}  max {samples[-1]:8.1f} ms   load {os.getloadavg()[0]:.1f}"
    )
    for url, status in errors[:5]:
        print(f"    error: {status} {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--baseline", type=float, default=20.0)
    parser.add_argument("--database-url", default="", help="an already filled registry (kept; grows by --rows)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pilar-bench-live-"))
    name = "pilar_bench_live"
    if args.database_url:  # an already filled registry, kept (it grows by --rows)
        db_url = args.database_url
    elif args.postgres:
        db_url = _pg_database(name)
    else:
        db_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup(db_url)

    from pilar.accounts.models import Role, RoleAssignment, User
    from pilar.identity.models import Person
    from pilar.registry.importer import import_file
    from pilar.registry.models import PpksRecord
    from pilar.registry.synth import city_villages, write_csv

    villages = city_villages()
    first, second = workdir / "first.csv", workdir / "second.csv"
    write_csv(second, persons=args.rows, dup_rate=0.02, seed=8, villages=villages)
    print(f"machine: {os.cpu_count()} CPU; load {os.getloadavg()}")
    if not PpksRecord.objects.exists():
        write_csv(first, persons=args.rows, dup_rate=0.02, seed=7, villages=villages)
        started = time.perf_counter()
        job = import_file(first, mode="valid-rows")
        print(f"registry loaded: {job.created_count:,} PPKS rows in {time.perf_counter() - started:.1f} s (empty)")
    print(f"registry before the import: {PpksRecord.objects.count():,} PPKS records")

    user, new = User.objects.get_or_create(username="bench", defaults={"is_superuser": True, "is_staff": True})
    if new:
        RoleAssignment.objects.create(user=user, role=Role.OPERATOR)
    persons = list(Person.objects.filter(nik__isnull=False).values_list("id", "nik", "village__code")[:2000:97])
    urls = [("page", f"/registri/?kelurahan={code}") for _pk, _nik, code in persons[:5]]
    urls += [("person", f"/registri/orang/{pk}/") for pk, _nik, _code in persons[:10]]
    urls += [("nik", f"/api/v1/ppks/?q={nik}") for _pk, nik, _code in persons[:10]]
    urls += [("api", f"/api/v1/ppks/?kelurahan={code}&limit=100") for _pk, _nik, code in persons[:5]]
    backend = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
    print(f"\n{backend}: {args.readers} readers, {len(urls)} URLs (registry page, person page, API NIK, API list)")
    clients = signed_in(user, args.readers)
    phase("baseline (no import)", urls, clients, lambda: time.sleep(args.baseline))

    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "pilar.settings"}
    timing: dict[str, float] = {}

    def run_import() -> None:
        begun = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).with_name("pilar")), "import-registry", str(second), "--mode", "valid-rows"],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        timing["import"] = time.perf_counter() - begun

    phase(f"during import of {args.rows:,} rows", urls, clients, run_import)
    print(f"  import into the live registry: {timing['import']:.1f} s (including the command's start-up)")
    if args.postgres and not args.database_url:
        from django.db import connections

        connections.close_all()
        _pg_database(name, create=False)


if __name__ == "__main__":
    main()
