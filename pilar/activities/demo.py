"""Demo activity reports for the last three full months and a roadshow plan over all 104 kelurahan.

Deterministic (one seed), bulk inserts in the caller's transaction, and skipped when already there,
so that `pilar seed-demo` can run any number of times. The PPKS counts come from the demo registry,
as they would from the real one.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from pilar import audit
from pilar.accounts.models import User
from pilar.activities.models import ActivityReport, ReportVisit, RoadshowVisit
from pilar.activities.selectors import case_assignments_in, cases_counted, month_start, next_month, previous_month
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.registry.models import PpksRecord, Source
from pilar.workers.models import Worker

SEED = 20230316
TZ = ZoneInfo("Asia/Jakarta")
S = ActivityReport.Status
# Share of PSM per outcome: the two older months are checked; the last one is still partly in the TKSK's queue.
OLDER = [(S.ACCEPTED, 85), (S.RETURNED, 3), (S.SUBMITTED, 3), (None, 9)]
LATEST = [(S.ACCEPTED, 55), (S.SUBMITTED, 24), (S.RETURNED, 6), (S.DRAFT, 4), (None, 11)]
RETURN_REASONS = [
    "Jumlah kunjungan belum sesuai rincian.",
    "Lengkapi catatan sosialisasi program.",
    "Foto kegiatan belum dilampirkan.",
    "Kasus yang ditangani belum dijelaskan.",
]
PLACES = ["Rumah warga RT 01", "Posyandu RW 02", "Rumah lansia RT 04", "Balai warga RW 05", "Kantor kelurahan"]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=TZ)


def _registry_counts(periods: list[date]) -> dict[tuple[int, date], tuple[int, int]]:
    """(user id, month) → (proposed, found in the field), in one grouped query."""
    start = datetime.combine(periods[0], time.min, tzinfo=TZ)
    end = datetime.combine(next_month(periods[-1]), time.min, tzinfo=TZ)
    rows = (
        PpksRecord.objects.filter(reported_by__isnull=False, proposed_at__gte=start, proposed_at__lt=end)
        .annotate(month=TruncMonth("proposed_at", tzinfo=TZ))
        .values("reported_by", "month")
        .annotate(proposed=Count("id"), found=Count("id", filter=Q(source=Source.PSM)))
        .order_by()
    )
    return {(r["reported_by"], month_start(_as_date(r["month"]))): (r["proposed"], r["found"]) for r in rows}


def _case_counts(periods: list[date]) -> dict[tuple[int, date], int] | None:
    """(user id, month) → cases assigned during the month, one grouped query a month; None without cases."""
    if not cases_counted():
        return None
    counts = {}
    for period in periods:
        rows = case_assignments_in(period).values("user_id").annotate(n=Count("case_id", distinct=True)).order_by()
        counts.update({(r["user_id"], period): r["n"] for r in rows})
    return counts


def _as_date(value: date | datetime) -> date:
    return value.astimezone(TZ).date() if isinstance(value, datetime) else value


def _report(worker: Worker, period: date, status: str, rng: random.Random, counts, cases, checker: User | None):
    if worker.kelurahan_id is None:  # the demo's reports are written by PSM, who each serve one kelurahan
        raise ValueError(f"worker {worker.pk} is not a PSM")
    proposed, found = counts.get((worker.user_id, period), (0, 0))
    handled = rng.randint(0, 4) if cases is None else cases.get((worker.user_id, period), 0)
    report = ActivityReport(
        worker=worker,
        period=period,
        kecamatan_id=worker.kecamatan_id,
        kelurahan_id=worker.kelurahan_id,
        status=status,
        visits=rng.randint(6, 28),
        cases_handled=handled,
        info_relayed=rng.randint(1, 8),
        ppks_proposed=proposed,
        ppks_found=found,
        created_by_id=worker.user_id,
        notes=rng.choice(["", "", "Pendampingan lansia terlantar.", "Koordinasi dengan puskesmas."]),
    )
    if status != S.DRAFT:
        submitted = _at(next_month(period) + timedelta(days=rng.randint(0, 4)), rng)
        report.submitted_at = submitted
        if status in (S.ACCEPTED, S.RETURNED) and checker is not None:
            report.decided_by, report.decided_at = checker, submitted + timedelta(days=rng.randint(1, 3))
        elif status in (S.ACCEPTED, S.RETURNED):
            report.status = S.SUBMITTED  # a kecamatan without a TKSK account leaves its reports in the queue
    if report.status == S.RETURNED:
        report.return_reason = rng.choice(RETURN_REASONS)
    return report


def seed_activities(*, tksk_by_kecamatan: dict[int, User], today: date) -> Counter:
    """Reports for the last three full months and the roadshow plan; nothing when they already exist."""
    created: Counter = Counter()
    rng = random.Random(SEED)
    if not ActivityReport.objects.exists():
        created["laporan kegiatan PSM"] = _seed_reports(rng, tksk_by_kecamatan, today)
    if not RoadshowVisit.objects.exists():
        created["kunjungan roadshow"] = _seed_roadshow(rng, today)
    return created


def _seed_reports(rng: random.Random, tksk_by_kecamatan: dict[int, User], today: date) -> int:
    latest = previous_month(month_start(today))
    periods = [previous_month(previous_month(latest)), previous_month(latest), latest]
    counts, cases = _registry_counts(periods), _case_counts(periods)
    workers = list(Worker.objects.psm().active().order_by("id"))
    reports = []
    for period in periods:
        mix = LATEST if period == latest else OLDER
        for worker in workers:
            if worker.joined_on > period:
                continue
            status = rng.choices([s for s, _w in mix], weights=[w for _s, w in mix])[0]
            if status is not None:
                checker = tksk_by_kecamatan.get(worker.kecamatan_id)
                reports.append(_report(worker, period, status, rng, counts, cases, checker))
    ActivityReport.objects.bulk_create(reports, batch_size=1000)
    for period in periods:  # written near the month's end, not on the day the demo was loaded
        written = datetime.combine(next_month(period) - timedelta(days=1), time(19), tzinfo=TZ)
        ActivityReport.objects.filter(period=period).update(created_at=written, updated_at=written)
    # A few visits listed for the first kelurahan's PSM, so the detail page shows what a full report looks like.
    first_village = min((r.kelurahan_id for r in reports), default=None)
    ReportVisit.objects.bulk_create(
        ReportVisit(
            report=r,
            date=r.period + timedelta(days=rng.randint(0, 27)),
            place=rng.choice(PLACES),
            purpose="Pendataan PPKS",
        )
        for r in reports
        if r.kelurahan_id == first_village
        for _ in range(3)
    )
    audit.record_many(None, "activities.report.seeded", reports, data={"demo": True})
    return len(reports)


def _seed_roadshow(rng: random.Random, today: date) -> int:
    """Every kelurahan gets a stop, spread from six months ago to six months ahead; past ones are mostly held."""
    villages = list(city_villages())
    start = today - timedelta(days=182)
    step = 364 / max(len(villages), 1)
    visits = []
    for index, kecamatan in enumerate(city_kecamatan()):
        day = start + timedelta(days=index * 14)
        visits.append(_stop(kecamatan, kecamatan, day, today, rng, "Roadshow tingkat kecamatan"))
    for index, village in enumerate(villages):
        day = start + timedelta(days=int(index * step))
        visits.append(_stop(village, village.parent, day, today, rng, "Sosialisasi layanan Dinsos dan PSM"))
    RoadshowVisit.objects.bulk_create(visits)
    audit.record_many(None, "activities.roadshow.seeded", visits, data={"demo": True})
    return len(visits)


def _stop(region, kecamatan, day: date, today: date, rng: random.Random, topic: str) -> RoadshowVisit:
    held = day < today and rng.random() < 0.93  # a few past stops still wait for their report
    return RoadshowVisit(
        region=region,
        kecamatan=kecamatan,
        planned_date=day,
        topic=topic,
        status=RoadshowVisit.Status.DONE if held else RoadshowVisit.Status.PLANNED,
        done_date=day if held else None,
    )


def activity_totals() -> dict[str, int]:
    return {
        "Laporan kegiatan PSM": ActivityReport.objects.count(),
        "Laporan diterima": ActivityReport.objects.filter(status=S.ACCEPTED).count(),
        "Kunjungan roadshow": RoadshowVisit.objects.count(),
        "Roadshow terlaksana": RoadshowVisit.objects.filter(status=RoadshowVisit.Status.DONE).count(),
    }
