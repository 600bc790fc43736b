"""Who served as an active PSM in a month, and for how many days, read set-wise from the workforce history.

A day counts when the worker had a PSM posting (``Assignment`` with role psm, both dates inclusive)
and an active status on it (``StatusChange``). The date of a change to nonaktif or berhenti is the
last day served: the workforce service ends the posting on that same date, and the two must agree.
A worker with no status history falls back to the worker row (active from ``joined_on``; until
``status_date`` when no longer active); a history that does not start with the activation is read as
starting active on ``joined_on``.

Three queries whatever the number of workers; the interval arithmetic is plain Python on integers.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from pilar.workers.models import Assignment, StatusChange, Worker, WorkerRole, WorkerStatus

Interval = tuple[int, int]  # inclusive day ordinals
ACTIVE = WorkerStatus.ACTIVE.value

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def bulan_tahun(day: date) -> str:
    """'November 2026': bank files and stored reasons are in Indonesian whatever the interface language."""
    return f"{MONTHS_ID[day.month - 1]} {day.year}"


def tanggal_id(day: date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass(slots=True)
class ServedMonth:
    worker_id: int
    name: str
    bank_name: str
    account_number: str
    account_holder: str
    kecamatan_id: int
    kelurahan_id: int
    active_days: int
    first_day: date | None  # first active day in the month
    last_day: date | None  # last active day in the month


def _merge(intervals: list[Interval]) -> list[Interval]:
    if len(intervals) < 2:  # nearly every worker: one posting, one active stretch
        return intervals
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start <= end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _status_intervals(changes: list[tuple[str, int]], lo: int, hi: int) -> list[Interval]:
    """Active stretches from a worker's status changes (oldest first, day ordinals), clipped to ``lo..hi``."""
    out: list[Interval] = []
    since: int | None = None
    for status, ordinal in changes:
        if status == ACTIVE:
            if since is None:
                since = ordinal
        elif since is not None:
            out.append((since, ordinal))  # the day of leaving is the last day served
            since = None
    if since is not None:
        out.append((since, hi))
    return [(max(s, lo), min(e, hi)) for s, e in out if e >= lo and s <= hi]


def _text(field: str) -> Cast:
    # Dates read as ISO text: the driver's per-value date conversion is a third of the read at 100,000 PSM.
    return Cast(field, CharField())


def _ordinal(value: str) -> int:
    return date.fromisoformat(value).toordinal()


def _raw(qs: QuerySet) -> Iterator[tuple]:
    """The queryset's rows straight from the driver, without Django's per-value converters (dates above all)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10000):
            yield from rows


def served_in_month(period: date, worker_ids: set[int] | None = None) -> list[ServedMonth]:
    """Every worker with a PSM posting overlapping the month (``worker_ids``: only those), with active days."""
    first, last = month_start(period), month_end(period)
    lo, hi = first.toordinal(), last.toordinal()
    postings_qs = Assignment.objects.filter(role=WorkerRole.PSM, start_date__lte=last).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )
    if worker_ids is not None:
        postings_qs = postings_qs.filter(worker_id__in=worker_ids)
    postings: dict[int, list[Interval]] = defaultdict(list)
    area: dict[int, tuple[int, int, int]] = {}
    postings_rows = postings_qs.order_by().annotate(s=_text("start_date"), e=_text("end_date"))
    columns = ("worker_id", "s", "e", "region_id", "region__parent_id")
    for worker_id, start, end, region_id, parent_id in _raw(postings_rows.values_list(*columns)):
        start = _ordinal(start)
        postings[worker_id].append((max(start, lo), min(_ordinal(end), hi) if end else hi))
        # The kelurahan paid for is the latest posting of the month (a transfer moves the line).
        if worker_id not in area or start >= area[worker_id][0]:
            area[worker_id] = (start, parent_id, region_id)
    if not postings:
        return []

    ids = postings_qs.values("worker_id")
    history: dict[int, list[tuple[str, int]]] = defaultdict(list)
    changes_qs = StatusChange.objects.filter(worker_id__in=ids, date__lte=last).order_by("worker_id", "date", "id")
    for worker_id, status, day in _raw(changes_qs.annotate(d=_text("date")).values_list("worker_id", "status", "d")):
        history[worker_id].append((status, _ordinal(day)))

    columns = ("pk", "person__name", "bank_name", "account_number", "account_holder", "status", "sd", "jd")
    workers = Worker.objects.filter(pk__in=ids).order_by().annotate(sd=_text("status_date"), jd=_text("joined_on"))
    result = []
    for row in _raw(workers.values_list(*columns)):
        worker_id, name, bank, account, holder, status, status_date, joined_on = row
        changes = history.get(worker_id)
        if not changes:
            changes = [(WorkerStatus.ACTIVE, _ordinal(joined_on))]
            if status != WorkerStatus.ACTIVE:
                changes.append((status, _ordinal(status_date)))
        elif changes[0][0] != WorkerStatus.ACTIVE:
            # Every worker starts active on joining; a history written without that first entry still does.
            changes = [(WorkerStatus.ACTIVE, _ordinal(joined_on)), *changes]
        active = _intersect(_merge(postings[worker_id]), _merge(_status_intervals(changes, lo, hi)))
        days = sum(end - start + 1 for start, end in active)
        _start, kecamatan_id, kelurahan_id = area[worker_id]
        result.append(
            ServedMonth(
                worker_id=worker_id,
                name=name,
                bank_name=bank,
                account_number=account.strip(),
                account_holder=holder or name,
                kecamatan_id=kecamatan_id,
                kelurahan_id=kelurahan_id,
                active_days=days,
                first_day=date.fromordinal(active[0][0]) if active else None,
                last_day=date.fromordinal(active[-1][1]) if active else None,
            )
        )
    return result
