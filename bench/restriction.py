"""Benchmark: what hiding restricted persons (UU PDP) costs every scoped list, beside the same list without it.

    .venv/bin/python bench/restriction.py [--rows N] [--postgres] [--repeat 40] [--restricted 20]

Builds a fresh database with N synthetic registry rows (Pilar's importer, as ``list_latency.py``), restricts
``--restricted`` persons, then times the same requests for a Dinsos operator, whose lists exclude restricted
persons (``pilar.identity.restriction``), and for the peer in the same run: an Admin Dinsos, who sees them and
whose queries carry no exclusion. Prints p50/p95 in milliseconds and the load average.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from list_latency import PG_SERVER, setup, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--restricted", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pilar-bench-restriction-"))
    name = f"pilar_bench_restriction_{os.getpid()}"
    if args.postgres:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        db_url = f"{PG_SERVER}/{name}"
    else:
        db_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup(db_url)

    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from pilar.accounts.models import ApiToken, Role, RoleAssignment, User
    from pilar.identity.models import Person
    from pilar.registry.importer import import_file
    from pilar.registry.models import PpksRecord
    from pilar.registry.synth import city_villages, write_csv

    csv_path = workdir / "rows.csv"
    write_csv(csv_path, persons=args.rows, dup_rate=0.02, seed=7, villages=city_villages())
    job = import_file(csv_path, mode="valid-rows")
    ids = list(Person.objects.order_by("?").values_list("pk", flat=True)[: args.restricted])
    Person.objects.filter(pk__in=ids).update(restricted_at=timezone.now(), restriction_reason="bench")
    busiest = (
        PpksRecord.objects.values("kelurahan__code", "category__code")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    kel, cat = busiest["kelurahan__code"], busiest["category__code"]
    nik = PpksRecord.objects.filter(person__nik__isnull=False).values_list("person__nik", flat=True)[busiest["n"]]
    clients = {}
    for username, role in (("operator", Role.OPERATOR), ("admin", Role.ADMIN)):
        user = User.objects.create_user(username, password="x" * 12)
        RoleAssignment.objects.create(user=user, role=role, valid_from=timezone.localdate())
        page = Client()
        page.force_login(user)
        api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
        clients[username] = (page, api)
    cases = [
        ("API list, first page", f"/api/v1/ppks/?kelurahan={kel}&category={cat}&limit=25"),
        ("API NIK lookup", f"/api/v1/ppks/?q={nik}"),
        ("page /registri/, first page", f"/registri/?kelurahan={kel}&category={cat}"),
        ("API persons, first page", "/api/v1/persons/?limit=25"),
    ]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{backend}: {job.created_count:,} PPKS rows, {len(ids)} persons restricted; "
        f"{args.repeat} requests each, ms server-side; load average {os.getloadavg()[0]:.1f}"
    )
    for label, url in cases:
        which = 1 if url.startswith("/api/") else 0
        op50, op95, _ = timed(clients["operator"][which], url, args.repeat)
        ad50, ad95, _ = timed(clients["admin"][which], url, args.repeat)
        print(
            f"  {label:<30} operator (excludes) p50 {op50:6.1f} p95 {op95:6.1f} | "
            f"peer admin (no exclusion) p50 {ad50:6.1f} p95 {ad95:6.1f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.postgres:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
