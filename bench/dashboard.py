"""Benchmark: the dashboard (API, page, map) from the summary tables vs the same figures by live GROUP BY.

    .venv/bin/python bench/dashboard.py [--rows 100000] [--postgres] [--repeat 30]

Builds a fresh database (SQLite file, or a throwaway PostgreSQL database with --postgres), imports N synthetic
rows with Pilar's importer, spreads them over 36 months of history (about 60 % validated, 10 % exited, the
validation and exit dates over the last 36 months), rebuilds the summary tables, then times as the head of office:
- ``GET /api/v1/dashboard/`` for the city and for one kecamatan;
- the page ``/dasbor/`` (with its trend chart and the PPKS map) and the page with the change map;
- the peer, in the same run: the same figures (status totals, active per kecamatan, entries and exits per month
  over 36 months) computed live with GROUP BY over the registry, called in-process (no HTTP around it, which
  favours the peer).
Prints p50/p95 in milliseconds, the rebuild time, and the load average. Targets (issue 13): p95 <= 100 ms for
the API and the page, <= 150 ms for the map, and >= 3x faster than the live GROUP BY.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def setup(db_url: str) -> None:
    os.environ.update(
        DATABASE_URL=db_url, DEBUG="0", SECRET_KEY="bench-" + "x" * 50, DJANGO_SETTINGS_MODULE="pilar.settings_test"
    )
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="pilar-bench-media-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from pilar.regions.loader import load_region

    call_command("migrate", verbosity=0)
    load_region()


def percentiles(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm, as a running server is
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def spread_history() -> None:
    """Statuses and dates over 36 months, by id, in a few UPDATEs that both databases run alike."""
    from datetime import datetime, timedelta

    from django.db.models import F
    from django.db.models.functions import Mod
    from django.utils import timezone

    from pilar.registry.models import PpksRecord

    now = timezone.now()
    records = PpksRecord.objects.annotate(r=Mod(F("id"), 10))
    records.filter(r__lt=6).update(status="ditetapkan")
    records.filter(r=6).update(status="keluar", exit_reason="graduasi")
    for month in range(36):
        at: datetime = now - timedelta(days=30 * month + 3)
        in_month = PpksRecord.objects.annotate(m=Mod(F("id"), 36)).filter(m=month)
        in_month.filter(status__in=("ditetapkan", "keluar")).update(validated_at=at, proposed_at=at)
        exit_month = PpksRecord.objects.annotate(m=Mod(F("id") + 7, 36)).filter(m=month, status="keluar")
        exit_month.update(exit_date=(now - timedelta(days=30 * min(month, 35))).date())


def live_figures() -> object:
    """The peer: the dashboard's PPKS figures straight from the registry."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from pilar.registry.models import PpksRecord

    zone = timezone.get_current_timezone()
    by_status = list(PpksRecord.objects.order_by().values("status").annotate(n=Count("id")))
    by_area = list(
        PpksRecord.objects.filter(status="ditetapkan").order_by().values("kecamatan_id").annotate(n=Count("id"))
    )
    validated = PpksRecord.objects.filter(status__in=("ditetapkan", "keluar")).order_by()
    entered = list(validated.annotate(m=TruncMonth("validated_at", tzinfo=zone)).values("m").annotate(n=Count("id")))
    exited = list(
        PpksRecord.objects.filter(status="keluar")
        .order_by()
        .annotate(m=TruncMonth("exit_date"))
        .values("m")
        .annotate(n=Count("id"))
    )
    return by_status, by_area, entered, exited


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--database-url", default="", help="an already filled database (kept): its history is spread once, then reused"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pilar-bench-dashboard-"))
    if args.database_url:
        db_url = args.database_url
        args.postgres = db_url.startswith("postgres")
    elif args.postgres:
        import psycopg

        name = f"pilar_bench_dashboard_{os.getpid()}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        db_url = f"{PG_SERVER}/{name}"
    else:
        db_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup(db_url)
    try:
        run(args)
    finally:
        if args.postgres and not args.database_url:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    from pilar.accounts.models import ApiToken, Role, RoleAssignment, User
    from pilar.registry.importer import import_file
    from pilar.registry.models import PpksRecord
    from pilar.registry.synth import city_villages, write_csv
    from pilar.stats import tally

    if not PpksRecord.objects.exists():
        workdir = Path(tempfile.mkdtemp(prefix="pilar-bench-dashboard-rows-"))
        write_csv(workdir / "rows.csv", persons=args.rows, dup_rate=0.02, seed=7, villages=city_villages())
        started = time.perf_counter()
        job = import_file(workdir / "rows.csv", mode="valid-rows")
        print(f"imported {job.created_count:,} PPKS rows in {time.perf_counter() - started:.1f} s ({job.status})")
    if not PpksRecord.objects.filter(status="keluar").exists():  # a reused database is spread once
        started = time.perf_counter()
        spread_history()
        print(f"history spread over 36 months in {time.perf_counter() - started:.1f} s")
        if args.postgres:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE registry_ppksrecord")
    started = time.perf_counter()
    tally.rebuild()
    print(
        f"summary tables rebuilt from {PpksRecord.objects.count():,} records in {time.perf_counter() - started:.2f} s"
    )

    user, new = User.objects.get_or_create(username="bench.pimpinan")
    if new:
        RoleAssignment.objects.create(user=user, role=Role.PIMPINAN)
    from tests.signin import PilarClient  # signs in past the second factor, as the sign-in pages would

    page = PilarClient()
    page.force_login(user)
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
    kecamatan = "36.71.01"

    def get(client: Client, url: str) -> Callable[[], object]:
        def call() -> object:
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code, answer.content[:300])
            return answer

        return call

    cases = [
        ("API /api/v1/dashboard/ (city)", get(api, "/api/v1/dashboard/")),
        (f"API /api/v1/dashboard/?kecamatan={kecamatan}", get(api, f"/api/v1/dashboard/?kecamatan={kecamatan}")),
        ("API, 36-month trend", get(api, "/api/v1/dashboard/?months=36")),
        ("page /dasbor/ (trend + PPKS map)", get(page, "/dasbor/")),
        ("page /dasbor/?peta=change (change map)", get(page, "/dasbor/?peta=change")),
        ("peer: the same figures by live GROUP BY", live_figures),
    ]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    count = PpksRecord.objects.count()
    print(f"\n{backend}, {count:,} PPKS records, {args.repeat} requests each (ms, server-side)")
    for label, call in cases:
        p50, p95 = percentiles(call, args.repeat)
        print(f"  {label:<48} p50 {p50:8.1f}   p95 {p95:8.1f}   load {os.getloadavg()[0]:.2f}")
    # The city's monthly PPKS report (issue 13: <= 3 s): figures and PDF as report_generate draws them.
    from pilar.reports.filters import Period, add_months, this_month
    from pilar.reports.models import ReportKind
    from pilar.reports.official import report_figures
    from pilar.reports.official_files import report_pdf

    month = add_months(this_month(), -1)
    period = Period(start=month, end=month, code=month.strftime("%Y-%m"))
    p50, p95 = percentiles(lambda: report_pdf(report_figures(ReportKind.PPKS, period)), max(5, args.repeat // 3))
    print(
        f"  {'city PPKS report ' + period.code + ': figures + PDF':<48} p50 {p50:8.1f}   p95 {p95:8.1f}   "
        f"load {os.getloadavg()[0]:.2f}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
