"""Benchmark: one monthly payroll run for N PSM (default 100,000; target <= 10 s), against the naive way.

    .venv/bin/python bench/payroll.py [--workers 100000] [--postgres] [--peer-workers N]

Builds a throwaway database (a SQLite file in a temporary directory, or with --postgres a database
created on $BENCH_PG, default postgres://postgres@127.0.0.1:5432, and dropped at the end), migrates it,
and writes N PSM directly with bulk_create: persons, workers, one posting and one status change each,
spread over the city's 104 kelurahan; 2 % left on the 10th of the month, 1 % have no bank account.

Timed, in the same process and database:
1. ``payroll_generate`` for the month (rule prorated): set-based reads, lines and exclusions written
   with bulk_create in batches of 5,000, one audit entry;
2. the same call again (regenerating the draft: its lines are deleted and written again);
3. the peer: the same month's lines written the naive way, one ``Model.save()`` per line (Django's
   per-object ORM save), in one transaction, from the same eligibility read, for ``--peer-workers``
   workers (default: all), in a run of the previous month. The ratio printed is peer time per line
   over generation time per line (wall clock).

Wall and CPU time are printed, and the load average: on a shared machine the wall time of the same
work varies several-fold with what else runs; on SQLite nearly all the work is in this process, so its
CPU time is what the run costs on an idle machine.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
MONTH = date(2026, 6, 1)
BATCH = 5000


def setup(db_url: str) -> None:
    os.environ.update(
        DATABASE_URL=db_url, DEBUG="0", SECRET_KEY="bench-" + "x" * 50, DJANGO_SETTINGS_MODULE="pilar.settings_test"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from pilar.regions.loader import load_region

    call_command("migrate", verbosity=0)
    load_region()


def make_workers(count: int) -> None:
    from django.conf import settings
    from django.db import transaction

    from pilar.identity.models import Person
    from pilar.regions.models import Region
    from pilar.workers.models import Assignment, StatusChange, Worker, WorkerStatus

    villages = list(Region.objects.within(settings.PILAR_REGION).villages().order_by("code"))
    joined, left = date(2020, 1, 6), date(2026, 6, 10)
    with transaction.atomic():
        for start in range(0, count, BATCH):
            n = range(start, min(start + BATCH, count))
            persons = Person.objects.bulk_create(
                [Person(name=f"PSM Uji {i}", sex="P" if i % 2 else "L", birth_date=date(1980, 1, 1)) for i in n]
            )
            workers = Worker.objects.bulk_create(
                [
                    Worker(
                        person=p,
                        role="psm",
                        status="berhenti" if i % 50 == 0 else "aktif",
                        status_date=left if i % 50 == 0 else joined,
                        joined_on=joined,
                        kecamatan_id=villages[i % len(villages)].parent_id,
                        kelurahan=villages[i % len(villages)],
                        bank_name="Bank BJB",
                        account_number="" if i % 100 == 1 else f"{i:010d}",
                        account_holder=p.name,
                    )
                    for i, p in zip(n, persons, strict=True)
                ]
            )
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        worker=w,
                        role="psm",
                        region=w.kelurahan,
                        start_date=joined,
                        end_date=left if w.status == "berhenti" else None,
                    )
                    for w in workers
                ]
            )
            changes = [StatusChange(worker=w, status=WorkerStatus.ACTIVE, date=joined) for w in workers]
            changes += [StatusChange(worker=w, status=w.status, date=left) for w in workers if w.status == "berhenti"]
            StatusChange.objects.bulk_create(changes)


def naive_peer(actor, limit: int | None) -> tuple[float, int]:
    """The previous month's lines, one ``save()`` each (the eligibility read is the same set-based one)."""
    from django.db import transaction
    from django.utils import timezone

    from pilar.incentives.calculation import Policy, decide
    from pilar.incentives.eligibility import month_start, served_in_month
    from pilar.incentives.models import LineKind, PayrollLine, PayrollRun

    period = month_start(date(MONTH.year, MONTH.month - 1, 1))
    started = time.perf_counter()
    with transaction.atomic():
        run = PayrollRun.objects.create(period=period, rule="prorated", generated_by=actor, generated_at=timezone.now())
        policy = Policy(period=period, rate=Decimal(500000), rule="prorated")
        written = 0
        for served in served_in_month(period)[:limit]:
            decision = decide(served, policy)
            if decision.amount is None:
                continue
            PayrollLine(
                run=run,
                worker_id=served.worker_id,
                kind=LineKind.REGULAR,
                paid_month=period,
                kecamatan_id=served.kecamatan_id,
                kelurahan_id=served.kelurahan_id,
                name=served.name,
                bank_name=served.bank_name,
                account_number=served.account_number,
                account_holder=served.account_holder,
                rate=policy.rate,
                active_days=served.active_days,
                days_in_month=policy.days_in_month,
                amount=decision.amount,
                note=decision.note,
            ).save()
            written += 1
    return time.perf_counter() - started, written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--peer-workers", type=int, default=None)
    args = parser.parse_args()
    pg_name = None
    if args.postgres:
        import psycopg

        pg_name = f"pilar_bench_payroll_{os.getpid()}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        db_url = f"{PG_SERVER}/{pg_name}"
    else:
        db_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='pilar-bench-payroll-')) / 'bench.sqlite3'}"
    try:
        run_bench(args, db_url)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}"')


def run_bench(args, db_url: str) -> None:
    setup(db_url)
    from django.db import connection

    from pilar.accounts.models import User
    from pilar.incentives import services

    vendor = connection.vendor
    started = time.perf_counter()
    make_workers(args.workers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a database that has lived a while has them
    print(f"{vendor}: {args.workers:,} PSM written in {time.perf_counter() - started:.1f} s")
    actor = User.objects.create_user("bench.operator", password="x" * 20)

    started, cpu = time.perf_counter(), time.process_time()
    run = services.payroll_generate(period=MONTH, actor=actor, today=date(2026, 11, 23))
    generate, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"generate {MONTH:%Y-%m}: {generate:.2f} s wall ({cpu:.2f} s CPU of this process), "
        f"{run.line_count:,} lines, {run.exclusion_count:,} exclusions, total Rp {int(run.total):,}"
    )
    started = time.perf_counter()
    run = services.payroll_generate(period=MONTH, actor=actor, today=date(2026, 11, 23))
    print(f"regenerate (replace the draft): {time.perf_counter() - started:.2f} s, {run.line_count:,} lines")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")

    peer_cpu = time.process_time()
    peer_seconds, peer_lines = naive_peer(actor, args.peer_workers)
    peer_cpu = time.process_time() - peer_cpu
    ratio = (peer_seconds / peer_lines) / (generate / run.line_count)
    print(f"peer, one ORM save() per line: {peer_seconds:.2f} s wall ({peer_cpu:.2f} s CPU) for {peer_lines:,} lines")
    print(
        f"ratio (per line, peer / generate): {ratio:.1f}x; target generate <= 10 s: "
        f"{'met' if generate <= 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
