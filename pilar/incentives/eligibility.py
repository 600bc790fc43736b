"""Who served as an active PSM in a month, and for how many days, read set-wise from the workforce history.

A day counts when the worker had a PSM posting (``Assignment`` with role psm, both dates inclusive)
and an active status on it (``StatusChange``). The date of a change to nonaktif or berhenti is the
last day served: the workforce service ends the posting on that same date, and the two must agree.
The worker row's status and ``status_date`` (the date of its last change, kept by the workforce
service) settle a worker active since on or before the 1st without reading the history. A worker
with no status history falls back to the worker row (active from ``joined_on``; until
``status_date`` when no longer active); a history that does not start with the activation is read as
starting active on ``joined_on``.

Two queries whatever the number of workers; the interval arithmetic is plain Python on integers.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from pilar.workers.models import Assignment, StatusChange, WorkerRole, WorkerStatus

Interval = tuple[int, int]  # inclusive day ordinals
ACTIVE = WorkerStatus.ACTIVE.value

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


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
    workers: dict[int, list[str]] = {}  # name, bank, account, holder, status, status date, joined (dates as text)
    rows = postings_qs.order_by().annotate(
        s=_text("start_date"), e=_text("end_date"), sd=_text("worker__status_date"), jd=_text("worker__joined_on")
    )
    columns = (
        "worker_id",
        "s",
        "e",
        "region_id",
        "region__parent_id",
        "worker__person__name",
        "worker__bank_name",
        "worker__account_number",
        "worker__account_holder",
        "worker__status",
        "sd",
        "jd",
    )
    for worker_id, start, end, region_id, parent_id, *worker in _raw(rows.values_list(*columns)):
        start = _ordinal(start)
        postings[worker_id].append((max(start, lo), min(_ordinal(end), hi) if end else hi))
        # The kelurahan paid for is the latest posting of the month (a transfer moves the line).
        if worker_id not in area or start >= area[worker_id][0]:
            area[worker_id] = (start, parent_id, region_id)
        workers[worker_id] = worker
    if not postings:
        return []

    # The worker row settles most cases: active since a date on or before the 1st means active every day
    # since (``status_date`` is the date of the last change). The history is read only for the others.
    history: dict[int, list[tuple[str, int]]] = defaultdict(list)
    changes_qs = (
        StatusChange.objects.filter(worker_id__in=postings_qs.values("worker_id"), date__lte=last)
        .filter(Q(worker__status_date__gt=first) | ~Q(worker__status=ACTIVE))
        .order_by("worker_id", "date", "id")
        .annotate(d=_text("date"))
    )
    for worker_id, status, day in _raw(changes_qs.values_list("worker_id", "status", "d")):
        history[worker_id].append((status, _ordinal(day)))

    result = []
    whole_month = [(lo, hi)]
    for worker_id, (name, bank, account, holder, status, status_date, joined_on) in workers.items():
        if status == ACTIVE and _ordinal(status_date) <= lo:
            stretches = whole_month
        else:
            stretches = _merge(
                _status_intervals(_changes(history.get(worker_id), status, status_date, joined_on), lo, hi)
            )
        active = _intersect(_merge(postings[worker_id]), stretches)
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


def _changes(history: list | None, status: str, status_date: str, joined_on: str) -> list[tuple[str, int]]:
    """A worker's status changes, oldest first; from the worker row when no history was written."""
    if not history:
        changes = [(ACTIVE, _ordinal(joined_on))]
        if status != ACTIVE:
            changes.append((status, _ordinal(status_date)))
        return changes
    if history[0][0] != ACTIVE:
        # Every worker starts active on joining; a history written without that first entry still does.
        return [(ACTIVE, _ordinal(joined_on)), *history]
    return history
