"""Benchmark: server-side latency of the pages and API calls issue 10 names, at N registry rows.

    .venv/bin/python bench/pages.py --rows 100000 [--postgres] [--repeat 20]
    .venv/bin/python bench/pages.py --database-url postgres://.../pilar_big   # an already filled database

Builds a fresh database (as ``list_latency.py``: SQLite file, or a throwaway PostgreSQL database) and
imports N synthetic rows with Pilar's importer, or reuses ``--database-url`` as it is. Then times,
through Django's test client (middleware, scoping, serialisation and the access log included), as a
Dinsos operator (city-wide) and as the TKSK of the busiest kecamatan: name search (page and API), NIK
search, person detail, the first and a deep unfiltered registry page (by number and by cursor), API
``limit=100`` (first page and a deep cursor) and ``limit=500``,
``/kasus/terlambat/`` and the data-quality page. Prints p50/p95 (ms), queries per request and the load
average before and after. Targets (issue 10): lists, details, search ≤ 150 ms p95, data quality ≤ 300 ms.

Beside each time, the process CPU of a request (p50, ``time.process_time``): on SQLite it includes the database's
own work (it runs in the process), so it is the steadier figure on a busy machine; on PostgreSQL the backend's CPU
is not in it (``bench/request_cpu.py`` adds it).

The peer in the same run (``--peer DIR``: another checkout, e.g. ``git worktree add /tmp/peer <commit>``): each
checkout runs in a process of its own, alternating (peer, this, peer, this for ``--rounds 2``), every case of one
round before the next, and the figures are printed side by side. Give the peer its own copy of the data
(``--peer-database-url``) when this checkout's migrations add indexes the peer's code should not see:

    cp big.sqlite3 /tmp/this.sqlite3 && cp big.sqlite3 /tmp/peer.sqlite3
    .venv/bin/python bench/pages.py --database-url sqlite:////tmp/this.sqlite3 \
        --peer /tmp/peer --peer-database-url sqlite:////tmp/peer.sqlite3 --repeat 15 --rounds 2
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from list_latency import PG_SERVER, setup  # noqa: E402


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.95 * (len(ordered) - 1))]


def timed(client, url: str, repeat: int) -> tuple[list[float], list[float], int]:
    """Wall and process-CPU milliseconds of ``repeat`` requests, and the queries of the last one."""
    from django.db import connection, reset_queries

    client.get(url)  # warm the caches the way a real server is warm
    walls, cpus = [], []
    for _ in range(repeat):
        reset_queries()
        started, cpu = time.perf_counter(), time.process_time()
        answer = client.get(url)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    return walls, cpus, len(connection.queries)


def users():
    from django.db.models import Count

    from pilar.accounts.models import ApiToken, Role, RoleAssignment, User
    from pilar.registry.models import PpksRecord

    kecamatan_id = (
        PpksRecord.objects.values("kecamatan_id").order_by().annotate(n=Count("id")).order_by("-n")[0]["kecamatan_id"]
    )
    made = {}
    for name, role, region in (("bench.operator", Role.OPERATOR, None), ("bench.tksk", Role.TKSK, kecamatan_id)):
        user, new = User.objects.get_or_create(username=name, defaults={"is_staff": False})
        if new:
            RoleAssignment.objects.create(user=user, role=role, region_id=region)
        made[name] = user
    token = ApiToken.issue(made["bench.operator"])
    return made["bench.operator"], made["bench.tksk"], token


def cases(tksk_person: int) -> list[tuple[str, str, str]]:
    from pilar.identity.models import Person
    from pilar.registry.models import PpksRecord

    person = Person.objects.filter(nik__isnull=False).order_by("id")[Person.objects.count() // 2]
    words = person.name_normalized.split()
    rare = " ".join(words[-2:]) if len(words) > 1 else words[0]
    count = PpksRecord.objects.count()
    deep = max(1, count * 8 // 10 // 25)
    # The same depth reached by cursor (the rows after this id, newest first), as "Berikutnya" and ``next`` do.
    after = PpksRecord.objects.order_by("-id").values_list("id", flat=True)[deep * 25 - 1]
    return [
        ("op", "page search, full name", f"/registri/?q={person.name.replace(' ', '+')}"),
        ("op", "page search, two words", f"/registri/?q={rare.replace(' ', '+')}"),
        ("op", "page search, common word", "/registri/?q=muhammad"),
        ("api", "API persons, name", f"/api/v1/persons/?q={rare.replace(' ', '+')}&limit=25"),
        ("api", "API persons, common word", "/api/v1/persons/?q=muhammad&limit=25"),
        ("api", "API ppks, NIK", f"/api/v1/ppks/?q={person.nik}"),
        ("op", "person detail (operator)", f"/registri/orang/{person.pk}/"),
        ("tksk", "person detail (TKSK)", f"/registri/orang/{tksk_person}/"),
        ("op", "registry, first page", "/registri/"),
        ("op", f"registry, deep page {deep:,}", f"/registri/?page={deep}"),
        ("op", "registry, deep page by cursor", f"/registri/?cursor=a{after}"),
        ("op", "registry, last page (cursor)", "/registri/?cursor=b0"),
        ("tksk", "registry, first page (TKSK)", "/registri/"),
        ("api", "API ppks limit=100", "/api/v1/ppks/?limit=100"),
        ("api", "API ppks limit=100, deep cursor", f"/api/v1/ppks/?limit=100&cursor=a{after}"),
        ("api", "API ppks limit=500", "/api/v1/ppks/?limit=500"),
        ("op", "/kasus/terlambat/", "/kasus/terlambat/"),
        ("op", "data quality page", "/registri/mutu/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="run the cases whose label contains one of these (comma-separated)")
    parser.add_argument("--peer", default="", help="another checkout to time in the same run, alternating")
    parser.add_argument("--peer-database-url", default="", help="the peer's copy of the data (default: the same)")
    parser.add_argument("--rounds", type=int, default=2, help="with --peer: rounds of (peer, this)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)  # the checkout a child process times
    args = parser.parse_args()
    if args.peer:
        return side_by_side(args)
    dropped = ""
    if args.database_url:
        db_url = args.database_url
    elif args.postgres:
        import psycopg

        dropped = f"pilar_bench_pages_{os.getpid()}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dropped}"')
        db_url = f"{PG_SERVER}/{dropped}"
    else:
        db_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='pilar-bench-pages-')) / 'bench.sqlite3'}"
    if args.child:
        # The child times the checkout it is given: setup() puts its ``pilar`` and ``tests`` first on the path.
        import list_latency

        list_latency.ROOT = Path(args.child)
    setup(db_url)
    from django.conf import settings
    from django.test import Client

    from pilar.registry.models import PpksRecord
    from tests.signin import PilarClient  # force_login that also passes the staff's second factor

    settings.DEBUG = True  # counts the queries (the test client's requests only)
    if not PpksRecord.objects.exists():
        from pilar.registry.importer import import_file
        from pilar.registry.synth import city_villages, write_csv

        csv_path = Path(tempfile.mkdtemp(prefix="pilar-bench-pages-")) / "rows.csv"
        write_csv(csv_path, persons=args.rows, dup_rate=0.02, seed=7, villages=city_villages())
        started = time.perf_counter()
        job = import_file(csv_path, mode="valid-rows")
        print(f"imported {job.created_count:,} PPKS rows in {time.perf_counter() - started:.1f} s ({job.status})")
    operator, tksk, token = users()
    clients = {"op": PilarClient(), "tksk": PilarClient(), "api": Client(headers={"Authorization": f"Bearer {token}"})}
    clients["op"].force_login(operator)
    clients["tksk"].force_login(tksk)
    from pilar.accounts.permissions import access_for

    tksk_person = PpksRecord.objects.filter(kecamatan_id__in=access_for(tksk).kecamatan_ids).order_by("id")
    tksk_person = tksk_person.exclude(person=None).values_list("person_id", flat=True)[500]
    import pilar

    assert not args.child or Path(pilar.__file__).resolve().is_relative_to(Path(args.child).resolve()), pilar.__file__
    backend = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
    chosen = [c for c in cases(tksk_person) if not args.only or any(part in c[1] for part in args.only.split(","))]
    if args.child:
        out = {}
        for who, label, url in chosen:
            walls, cpus, queries = timed(clients[who], url, args.repeat)
            out[label] = {"wall": walls, "cpu": cpus, "queries": queries}
        print(json.dumps({"backend": backend, "records": PpksRecord.objects.count(), "cases": out}))
        return
    print(f"\n{backend}, {PpksRecord.objects.count():,} PPKS records, {args.repeat} requests each (ms, server-side)")
    print(f"load average before: {loadavg()}")
    for who, label, url in chosen:
        walls, cpus, queries = timed(clients[who], url, args.repeat)
        print(
            f"  {label:<34} p50 {statistics.median(walls):7.1f}   p95 {p95(walls):7.1f}   "
            f"CPU p50 {statistics.median(cpus):7.1f}   {queries:3d} queries"
        )
    print(f"load average after: {loadavg()}")
    if dropped:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def side_by_side(args: argparse.Namespace) -> None:
    """This checkout and ``--peer``, each case timed in alternating child processes; one table of both."""
    here = Path(__file__).resolve().parent.parent
    peer = Path(args.peer).resolve()
    runs = {"peer": (peer, args.peer_database_url or args.database_url), "this": (here, args.database_url)}
    if not args.database_url:
        sys.exit("--peer needs --database-url (a filled database both checkouts read)")
    merged: dict[str, dict[str, dict]] = {"peer": {}, "this": {}}
    backend, records = "", 0
    print(f"load average before: {loadavg()}")
    for round_ in range(args.rounds):
        for name, (root, url) in runs.items():
            command = [sys.executable, str(Path(__file__).resolve()), "--database-url", url, "--child", str(root)]
            command += ["--repeat", str(args.repeat), "--only", args.only]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(f"{name} run failed:\n{done.stderr[-3000:]}")
            answer = json.loads(done.stdout.strip().splitlines()[-1])
            backend, records = answer["backend"], answer["records"]
            for label, figures in answer["cases"].items():
                into = merged[name].setdefault(label, {"wall": [], "cpu": [], "queries": 0})
                into["wall"] += figures["wall"]
                into["cpu"] += figures["cpu"]
                into["queries"] = figures["queries"]
            print(f"  round {round_ + 1}, {name} done (load {loadavg()})", file=sys.stderr)
    print(f"\n{backend}, {records:,} PPKS records; peer {peer} ({git_head(peer)}), this {here} ({git_head(here)})")
    print(f"{args.rounds} rounds x {args.repeat} requests per case and checkout; ms, server-side; CPU: process CPU p50")
    print("| request | peer p50 / p95 | this p50 / p95 | peer CPU | this CPU | queries peer / this |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, this in merged["this"].items():
        other = merged["peer"][label]
        cells = [
            f"{statistics.median(other['wall']):.1f} / {p95(other['wall']):.1f}",
            f"**{statistics.median(this['wall']):.1f} / {p95(this['wall']):.1f}**",
            f"{statistics.median(other['cpu']):.1f}",
            f"{statistics.median(this['cpu']):.1f}",
            f"{other['queries']} / {this['queries']}",
        ]
        print(f"| {label} | {' | '.join(cells)} |")
    print(f"load average after: {loadavg()}")


def git_head(root: Path) -> str:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


if __name__ == "__main__":
    main()
