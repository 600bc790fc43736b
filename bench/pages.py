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
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from list_latency import PG_SERVER, setup  # noqa: E402


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    from django.db import connection, reset_queries

    client.get(url)  # warm the caches the way a real server is warm
    samples = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        answer = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], len(connection.queries)


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
    args = parser.parse_args()
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
    backend = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
    print(f"\n{backend}, {PpksRecord.objects.count():,} PPKS records, {args.repeat} requests each (ms, server-side)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for who, label, url in cases(tksk_person):
        if args.only and not any(part in label for part in args.only.split(",")):
            continue
        p50, p95, queries = timed(clients[who], url, args.repeat)
        print(f"  {label:<34} p50 {p50:7.1f}   p95 {p95:7.1f}   {queries:3d} queries")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if dropped:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


if __name__ == "__main__":
    main()
