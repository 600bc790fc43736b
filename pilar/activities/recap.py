"""The TKSK's monthly recap, generated from the reports, and the roadshow coverage of the kelurahan.

Recap figures (visits, PPKS, cases, information relayed) add up the reports that reached the TKSK,
i.e. submitted or accepted; drafts and returned reports are still being written and are left out
until they are submitted again. The "accepted" column says how many of them were already checked.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum

from pilar.accounts.permissions import access_for
from pilar.activities.models import ActivityReport, RoadshowVisit
from pilar.identity.restriction import hide_restricted
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.workers.models import Worker

S = ActivityReport.Status
COUNTED = (S.SUBMITTED, S.ACCEPTED)
SUMS = ("visits", "ppks_found", "ppks_proposed", "cases_handled", "info_relayed")


@dataclass
class RecapRow:
    region: Region | None  # None on the total of the whole city
    psm: int = 0
    submitted: int = 0
    accepted: int = 0
    visits: int = 0
    ppks_found: int = 0
    ppks_proposed: int = 0
    cases_handled: int = 0
    info_relayed: int = 0

    @property
    def missing(self) -> int:
        return max(self.psm - self.submitted, 0)

    def add(self, other: "RecapRow") -> None:
        for name in ("psm", "submitted", "accepted", *SUMS):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Recap:
    period: date
    kecamatan: Region | None  # None: the whole city, one row per kecamatan
    rows: list[RecapRow]
    total: RecapRow = field(init=False)

    def __post_init__(self) -> None:
        self.total = RecapRow(region=self.kecamatan)
        for row in self.rows:
            self.total.add(row)


def kecamatan_choices(user: Any):
    """The kecamatan whose recap the user may read: all for Dinsos, the TKSK's own, the PSM's kecamatan."""
    access = access_for(user)
    options = city_kecamatan()
    if access.city_wide:
        return options
    parents = Region.objects.filter(id__in=access.village_ids).values("parent_id")
    return options.filter(Q(id__in=access.kecamatan_ids) | Q(id__in=parents))


def build_recap(*, period: date, kecamatan: Region | None) -> Recap:
    """Per kelurahan of ``kecamatan`` (or per kecamatan of the city): three grouped queries, whatever the size."""
    key = "kelurahan_id" if kecamatan else "kecamatan_id"
    regions = list(city_villages().filter(parent=kecamatan) if kecamatan else city_kecamatan())
    reports = ActivityReport.objects.filter(period=period)
    workers = Worker.objects.psm().active()
    if kecamatan:
        reports, workers = reports.filter(kecamatan=kecamatan), workers.filter(kecamatan=kecamatan)
    psm = dict(workers.values_list(key).annotate(n=Count("id")).order_by())
    sums = {
        r[key]: r
        for r in reports.values(key)
        .annotate(
            submitted=Count("id", filter=Q(status__in=COUNTED)),
            accepted=Count("id", filter=Q(status=S.ACCEPTED)),
            **{name: Sum(name, filter=Q(status__in=COUNTED)) for name in SUMS},
        )
        .order_by()
    }
    rows = []
    for region in regions:
        found = sums.get(region.pk, {})
        numbers = {name: found.get(name) or 0 for name in ("submitted", "accepted", *SUMS)}
        rows.append(RecapRow(region=region, psm=psm.get(region.pk, 0), **numbers))
    return Recap(period=period, kecamatan=kecamatan, rows=rows)


def not_reported(*, period: date, kecamatan: Region, user: Any) -> list[Worker]:
    """Active PSM of the kecamatan with no report submitted (or accepted) for the month: whom the TKSK reminds
    (a PSM whose processing is restricted is not named, but to the Admin Dinsos)."""
    reported = ActivityReport.objects.filter(period=period, status__in=COUNTED).values("worker_id")
    workers = Worker.objects.psm().active().filter(kecamatan=kecamatan).exclude(id__in=reported)
    return list(
        hide_restricted(workers, user, ("person",))
        .select_related("person", "kelurahan")
        .order_by("kelurahan__code", "person__name_normalized")
    )


# --- roadshow coverage ----------------------------------------------------------------------------


@dataclass
class CoverageRow:
    kecamatan: Region
    villages: list[tuple[Region, str, date | None]]  # kelurahan, state (selesai/rencana/belum), date
    kecamatan_visits: int = 0

    def count(self, state: str) -> int:
        return sum(1 for _region, s, _day in self.villages if s == state)

    @property
    def visited(self) -> int:
        return self.count("selesai")

    @property
    def planned(self) -> int:
        return self.count("rencana")

    @property
    def not_yet(self) -> int:
        return self.count("belum")


def coverage_scope(user: Any) -> set[int] | None:
    """The kecamatan ids whose coverage the user reads; None for the whole city."""
    return None if access_for(user).city_wide else set(kecamatan_choices(user).values_list("id", flat=True))


def coverage(kecamatan_ids: set[int] | None = None) -> list[CoverageRow]:
    """Each kelurahan: visited (a stop there was held), planned (one is planned), or not yet.

    A stop at kecamatan level is counted for the kecamatan, not for each of its kelurahan: the roadshow
    aims to reach every kelurahan itself.
    """
    visits = RoadshowVisit.objects.exclude(status=RoadshowVisit.Status.CANCELLED)
    kecamatan = city_kecamatan()
    villages = city_villages()
    if kecamatan_ids is not None:
        kecamatan, villages = kecamatan.filter(id__in=kecamatan_ids), villages.filter(parent_id__in=kecamatan_ids)
        visits = visits.filter(kecamatan_id__in=kecamatan_ids)
    done: dict[int, date] = {}
    planned: dict[int, date] = {}
    at_kecamatan: dict[int, int] = {}
    for region_id, kec_id, status, planned_date, done_date in visits.values_list(
        "region_id", "kecamatan_id", "status", "planned_date", "done_date"
    ):
        if region_id == kec_id:
            at_kecamatan[kec_id] = at_kecamatan.get(kec_id, 0) + 1
        elif status == RoadshowVisit.Status.DONE:
            if done_date is not None:  # always, for a stop held (the model's check constraint)
                done[region_id] = max(done.get(region_id, done_date), done_date)
        else:
            planned[region_id] = min(planned.get(region_id, planned_date), planned_date)
    by_kecamatan: dict[int | None, list[tuple[Region, str, date | None]]] = {}  # by the village's parent_id
    for village in villages:
        state: tuple[str, date | None]
        if village.pk in done:
            state = ("selesai", done[village.pk])
        elif village.pk in planned:
            state = ("rencana", planned[village.pk])
        else:
            state = ("belum", None)
        by_kecamatan.setdefault(village.parent_id, []).append((village, *state))
    return [CoverageRow(kec, by_kecamatan.get(kec.pk, []), at_kecamatan.get(kec.pk, 0)) for kec in kecamatan]
