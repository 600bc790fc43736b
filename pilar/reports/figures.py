"""The dashboard's figures for one user: read from the summary tables (``pilar.stats``), scoped like the registry.

The tallies are filtered with the same area rule as ``PpksRecord.objects.visible_to`` (the record's kecamatan
in the user's kecamatan, or its kelurahan in the user's kelurahan) and then lose the records of persons whose
processing is restricted (UU PDP), for everyone who does not see them in the registry either: those are a
handful of records, read live and taken away contribution by contribution. So ``totals.ppks_active`` is the
number of rows ``/api/v1/ppks/?status=ditetapkan`` lists for the same user and area.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from pilar.accounts.permissions import Access, Perm, access_for
from pilar.core.dbrouter import read_replica
from pilar.identity.restriction import sees_restricted
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.reports.filters import DashboardFilter, Period, Resolved, add_months, this_month
from pilar.stats import tally
from pilar.stats.models import PpksMonth, PpksTally

STATUSES = {
    "diusulkan": "ppks_proposed",
    "perlu_perbaikan": "ppks_needs_fix",
    "diverifikasi": "ppks_verified",
    "ditolak": "ppks_rejected",
    "ditetapkan": "ppks_active",
    "keluar": "ppks_exited",
}


@dataclass
class AreaRow:
    region: Region
    ppks_active: int = 0
    psm_active: int = 0
    entered: int = 0  # in the period (or the last 12 months)
    exited: int = 0
    ppks_proposed: int = 0  # waiting: proposed, needs fixing or verified
    cases_open: int = 0
    by_category: Counter = field(default_factory=Counter)

    @property
    def code(self) -> str:
        return self.region.code

    @property
    def name(self) -> str:
        return self.region.name

    @property
    def change(self) -> int:
        return self.entered - self.exited

    @property
    def ppks_per_psm(self) -> float | None:
        return round(self.ppks_active / self.psm_active, 1) if self.psm_active else None


@dataclass
class Figures:
    filters: Resolved
    level: str  # "kecamatan" or "kelurahan": what one by_area row is
    totals: dict[str, int]
    areas: list[AreaRow]
    villages: list[AreaRow]  # every kelurahan in the user's area and filter (the map, the reduction view)
    trend: list[dict[str, Any]]
    change_period: Period
    categories: list[Any]  # the categories with any record in scope, for the category × area table
    as_of: datetime
    rebuilt_at: datetime | None
    active_month_ago: int = 0
    active_year_ago: int = 0


KECAMATAN, KELURAHAN = 1, 2  # position of the area in a tally key (status, kecamatan, kelurahan, ...)
_AREA_COLUMNS: tuple[tuple[int, Literal["kecamatan_id", "kelurahan_id"]], ...] = (
    (KECAMATAN, "kecamatan_id"),
    (KELURAHAN, "kelurahan_id"),
)


def dashboard_figures(user: Any, filters: DashboardFilter) -> Figures:
    access = access_for(user)
    if Perm.PPKS_VIEW not in access.perms:
        raise PermissionDenied
    resolved = Resolved.of(filters)
    # The summary tables are brought up to date on the primary, which writes them and sees every event; the
    # reads that follow may come from the opt-in replica (DATABASE_REPLICA_URL), whose figures are then as
    # old as its replication lag, a few seconds, on top of the refresh time the page shows.
    state = tally.catch_up()
    with read_replica():
        return _figures(user, access, resolved, state)


def _figures(user: Any, access: Access, resolved: Resolved, state: Any) -> Figures:
    where = _where(access, resolved)
    level, regions = _areas(access, resolved)
    # Inside a kecamatan the rows are its kelurahan already: read them once.
    in_scope = regions if resolved.kecamatan and not resolved.kelurahan else _villages(access, resolved)
    rows = {
        KECAMATAN: {r.pk: AreaRow(r) for r in regions} if level == "kecamatan" else {},
        KELURAHAN: {r.pk: AreaRow(r) for r in in_scope},
    }
    if level == "kelurahan":
        rows[KELURAHAN].update({r.pk: AreaRow(r) for r in regions if r.pk not in rows[KELURAHAN]})
    hidden = _hidden(user, where)

    status_totals: Counter = Counter()
    for kecamatan_id, kelurahan_id, category_id, status, n in PpksTally.objects.filter(where).values_list(
        "kecamatan_id", "kelurahan_id", "category_id", "status", "count"
    ):
        status_totals[status] += n
        for key, area_id in ((KECAMATAN, kecamatan_id), (KELURAHAN, kelurahan_id)):
            _count_status(rows[key], area_id, category_id, status, n)
    for record in hidden:
        status_totals[record["status"]] -= 1
        for key, field_name in ((KECAMATAN, "kecamatan_id"), (KELURAHAN, "kelurahan_id")):
            _count_status(rows[key], record[field_name], record["category_id"], record["status"], -1)

    period = resolved.period
    now = this_month()
    change = period or Period(add_months(now, -11), now, "")
    window_end = min(period.end, now) if period else now
    # At least 13 months: the headline compares with a month and a year ago.
    window_start = add_months(window_end, -(max(resolved.months, 13) - 1))
    moves, area_moves = _monthly(where, hidden, since=min(window_start, change.start))
    for key in (KECAMATAN, KELURAHAN):
        _add_moves(rows[key], area_moves[key], change)

    active_now = status_totals["ditetapkan"]
    trend = _trend(moves, active_now, window_start, window_end)
    _add_workforce(user, resolved, rows)
    totals = {name: status_totals[status] for status, name in STATUSES.items()}
    totals["ppks_active"] = trend[-1]["active"] if period else active_now
    totals["entered"] = sum(e for m, (e, _x) in moves.items() if change.start <= m <= change.end)
    totals["exited"] = sum(x for m, (_e, x) in moves.items() if change.start <= m <= change.end)
    totals["ppks_waiting"] = totals["ppks_proposed"] + totals["ppks_needs_fix"] + totals["ppks_verified"]
    areas = sorted(rows[KECAMATAN if level == "kecamatan" else KELURAHAN].values(), key=lambda r: r.code)
    if level == "kelurahan":
        areas = [r for r in areas if r.region in regions or r.ppks_active or r.ppks_proposed or r.psm_active]
    totals["psm_active"] = sum(r.psm_active for r in areas)
    totals["cases_open"] = sum(r.cases_open for r in areas)
    totals.update(_workforce_totals(user, resolved))
    from pilar.registry.models import Category

    used = {c for r in areas for c, n in r.by_category.items() if n}
    categories = list(Category.objects.filter(pk__in=used).order_by("kind", "number"))
    villages = sorted(rows[KELURAHAN].values(), key=lambda r: r.code)
    return Figures(
        resolved,
        level,
        totals,
        areas,
        villages,
        trend[-resolved.months :],
        change,
        categories,
        timezone.now(),
        state.rebuilt_at,
        active_month_ago=trend[-2]["active"],
        active_year_ago=trend[-13]["active"],
    )


def _add_moves(rows: dict, area_moves: dict, change: Period) -> None:
    for area_id, per_month in area_moves.items():
        row = _row(rows, area_id)
        row.entered = sum(e for m, (e, _x) in per_month.items() if change.start <= m <= change.end)
        row.exited = sum(x for m, (_e, x) in per_month.items() if change.start <= m <= change.end)
        # Active at the end of the period: today's count less what moved after it.
        row.ppks_active -= sum(e - x for m, (e, x) in per_month.items() if m > change.end)


def _row(rows: dict, area_id: int) -> AreaRow:
    row = rows.get(area_id)
    if row is None:  # a record in scope whose area is not listed (another city's code): shown, never lost
        row = rows[area_id] = AreaRow(Region.objects.get(pk=area_id))
    return row


def _count_status(rows: dict, area_id: int, category_id: int, status: str, n: int) -> None:
    row = _row(rows, area_id)
    if status == "ditetapkan":
        row.ppks_active += n
        row.by_category[category_id] += n
    elif status in ("diusulkan", "perlu_perbaikan", "diverifikasi"):
        row.ppks_proposed += n


def _where(access: Access, f: Resolved) -> Q:
    """The tally rows of the user's area and the filter: the registry's area rule on the same two keys."""
    where = Q()
    if not access.city_wide:
        where &= Q(kecamatan_id__in=access.kecamatan_ids) | Q(kelurahan_id__in=access.village_ids)
    if f.kecamatan:
        where &= Q(kecamatan_id=f.kecamatan.pk)
    if f.kelurahan:
        where &= Q(kelurahan_id=f.kelurahan.pk)
    if f.category:
        where &= Q(category_id=f.category.pk)
    return where


def _areas(access: Access, f: Resolved) -> tuple[str, list[Region]]:
    """One row per kecamatan, or per kelurahan inside a kecamatan, within the user's area."""
    if f.kelurahan:
        return "kelurahan", [f.kelurahan] if access.covers(
            kecamatan_id=f.kelurahan.parent_id, village_id=f.kelurahan.pk
        ) else []
    if f.kecamatan:
        return "kelurahan", _villages(access, f)
    kecamatan = city_kecamatan()
    if not access.city_wide:
        parents = Region.objects.filter(pk__in=access.village_ids).values("parent_id")
        kecamatan = kecamatan.filter(Q(pk__in=access.kecamatan_ids) | Q(pk__in=parents))
    return "kecamatan", list(kecamatan)


def _villages(access: Access, f: Resolved) -> list[Region]:
    """Every kelurahan of the user's area inside the filter's kecamatan (or the one kelurahan asked for)."""
    villages = city_villages().select_related("parent")
    if f.kelurahan:
        villages = villages.filter(pk=f.kelurahan.pk)
    elif f.kecamatan:
        villages = villages.filter(parent_id=f.kecamatan.pk)
    if not access.city_wide:
        villages = villages.filter(Q(parent_id__in=access.kecamatan_ids) | Q(pk__in=access.village_ids))
    return list(villages)


def _hidden(user: Any, where: Q) -> list[dict[str, Any]]:
    """Records in the tallies that this user does not see in the registry: those of restricted persons and of
    the families they head (``PpksQuerySet.restriction_paths``, applied by ``hide_restricted``)."""
    if sees_restricted(user):
        return []
    return restricted_records(where)


def restricted_records(where: Q) -> list[dict[str, Any]]:
    """The records in the tallies (within ``where``) of persons whose processing is restricted, with their
    contribution fields: what a figure leaves out for whoever does not see them."""
    from pilar.registry.models import PpksRecord

    return list(PpksRecord.objects.of_restricted_persons().filter(where).values(*tally.RECORD_FIELDS, "status"))


def _monthly(where: Q, hidden: list[dict], *, since: date) -> tuple[dict[date, tuple[int, int]], dict[int, dict]]:
    """Entered and exited per month for the whole scope, and per kecamatan and per kelurahan: one query."""
    rows = PpksMonth.objects.filter(where, month__gte=since).values("kecamatan_id", "kelurahan_id", "month")
    moves: dict[date, tuple[int, int]] = {}
    by_area: dict[int, dict] = {KECAMATAN: defaultdict(dict), KELURAHAN: defaultdict(dict)}

    def add(month: date, kecamatan_id: int, kelurahan_id: int, e: int, x: int) -> None:
        for target in (moves, by_area[KECAMATAN][kecamatan_id], by_area[KELURAHAN][kelurahan_id]):
            pe, px = target.get(month, (0, 0))
            target[month] = (pe + e, px + x)

    for r in rows.annotate(e=Sum("entered"), x=Sum("exited")).order_by():
        add(r["month"], r["kecamatan_id"], r["kelurahan_id"], r["e"], r["x"])
    for kind, month, kecamatan_id, kelurahan_id, _category in _hidden_moves(hidden):
        if month and month >= since:
            add(month, kecamatan_id, kelurahan_id, -(kind == "e"), -(kind == "x"))
    return moves, by_area


def _hidden_moves(hidden: list[dict]) -> list[tuple]:
    return [k for r in hidden for k in tally.contributions(r, r["status"]) if k[0] != "t"]


def _trend(moves: dict, active_now: int, start: date, end: date) -> list[dict[str, Any]]:
    """Month by month from ``start`` to ``end``: entered, exited, and active at the month's end, counted back
    from today's active records (so the last point of an open month is today's figure)."""
    later = sum(e - x for m, (e, x) in moves.items() if m > end)
    active = active_now - later
    series = []
    month = end
    while month >= start:
        e, x = moves.get(month, (0, 0))
        series.append({"month": month.strftime("%Y-%m"), "entered": e, "exited": x, "active": active})
        active -= e - x
        month = add_months(month, -1)
    return series[::-1]


def _add_workforce(user: Any, f: Resolved, rows: dict[int, dict]) -> None:
    """Active PSM and open cases per kecamatan and kelurahan: a few thousand rows, counted live through their own
    scopes, one query each for both levels."""
    from pilar.cases.models import Case
    from pilar.workers.models import Worker

    codes = {"kecamatan": f.kecamatan.code if f.kecamatan else "", "kelurahan": f.kelurahan.code if f.kelurahan else ""}
    psm = Worker.objects.visible_to(user).psm().active().filter_area(**codes)
    cases = _area_cases(Case.objects.visible_to(user).open(), f)
    for qs, attribute in ((psm, "psm_active"), (cases, "cases_open")):
        for r in qs.order_by().values("kecamatan_id", "kelurahan_id").annotate(n=Count("id")):
            for key, field_name in _AREA_COLUMNS:
                if r[field_name] in rows[key]:
                    row = rows[key][r[field_name]]
                    setattr(row, attribute, getattr(row, attribute) + r["n"])


def _area_cases(qs: QuerySet, f: Resolved) -> QuerySet:
    if f.kecamatan:
        qs = qs.filter(kecamatan_id=f.kecamatan.pk)
    if f.kelurahan:
        qs = qs.filter(kelurahan_id=f.kelurahan.pk)
    return qs


def _workforce_totals(user: Any, f: Resolved) -> dict[str, int]:
    from pilar.cases.models import Case
    from pilar.workers.models import Worker

    codes = {"kecamatan": f.kecamatan.code if f.kecamatan else "", "kelurahan": f.kelurahan.code if f.kelurahan else ""}
    tksk = Worker.objects.visible_to(user).tksk().active().filter_area(**codes)
    if f.kelurahan:  # a TKSK serves the kecamatan around the kelurahan
        tksk = Worker.objects.visible_to(user).tksk().active().filter(kecamatan_id=f.kelurahan.parent_id)
    return {
        "tksk_active": tksk.count(),
        "cases_overdue": _area_cases(Case.objects.visible_to(user).open().overdue(), f).count(),
    }


def kecamatan_in_scope(user: Any) -> list[Region]:
    """The kecamatan a user's dashboard can show (its filter's choices): the city's, a TKSK's, a PSM's."""
    access = access_for(user)
    return _areas(access, Resolved(None, None, None, None, 12))[1]
