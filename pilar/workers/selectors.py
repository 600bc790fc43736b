"""Reads of the workforce for pages, API and exports, always from the user's scope."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from pilar.accounts.permissions import Perm, access_for
from pilar.accounts.visibility import Level, Subject, Visibility, visibility_for
from pilar.core.access import get_for_user
from pilar.core.listing import ListFilter
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.workers.models import BoardMembership, BoardPeriod, Worker, WorkerStatus


@dataclass(frozen=True)
class WorkerFilter(ListFilter):
    q: str = ""
    role: str = ""
    status: str = ""
    kecamatan: str = ""
    kelurahan: str = ""


def worker_list(user: Any, filters: WorkerFilter = WorkerFilter()) -> QuerySet[Worker]:
    qs = Worker.objects.visible_to(user).with_person().search(filters.q)
    qs = qs.filter_area(kecamatan=filters.kecamatan, kelurahan=filters.kelurahan)
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def get_worker_for_user(user: Any, pk: int, perm: Perm = Perm.WORKER_VIEW) -> Worker:
    """The worker if it lies in the user's area; 404 otherwise, exactly like a missing one.

    A worker the user may see but not act on (``perm``) answers 403: its existence is no secret to them.
    """
    return get_for_user(Worker.objects.visible_to(user).with_person(), user, pk, perm)


def worker_view(user: Any, worker: Worker | None = None) -> Visibility:
    """What ``user`` may see of a PSM or TKSK (the visibility table's row for workers)."""
    return visibility_for(user, worker, subject=Subject.WORKER)


# A worker's personal fields and the visibility table's field each belongs to.
PERSONAL_KEYS = {
    "nik": "nik",
    "name": "name",
    "phone": "phone",
    "birth_place": "birth_date",
    "birth_date": "birth_date",
    "address": "address",
    "rt": "address",
    "rw": "address",
    "village": "address",
    "is_rt_rw_head": "address",
    "bank_name": "bank_account",
    "account_number": "bank_account",
    "account_holder": "bank_account",
}


def worker_personal(worker: Worker, view: Visibility) -> dict[str, Any]:
    """A worker's personal fields as the user may see them (UU PDP: only what the role needs); None = hidden."""
    p = worker.person

    def whole(field: str, value: Any) -> Any:
        return value if view.level(PERSONAL_KEYS[field]) == Level.FULL else None

    return {
        "nik": view.nik(p.nik) or "",
        "name": view.name(p.name),
        "sex": p.sex,
        "phone": view.phone(p.phone),
        "education": p.education,
        "birth_place": whole("birth_place", p.birth_place),
        "birth_date": view.birth_date(p.birth_date),
        "address": whole("address", p.address),
        "rt": whole("rt", p.rt),
        "rw": whole("rw", p.rw),
        "village": whole("village", p.village.code if p.village is not None else None),
        "is_rt_rw_head": whole("is_rt_rw_head", p.is_rt_rw_head),
        "bank_name": whole("bank_name", worker.bank_name),
        "account_number": view.bank_account(worker.account_number),
        "account_holder": whole("account_holder", worker.account_holder),
    }


def coverage(user: Any) -> list[dict[str, Any]]:
    """Active PSM per kecamatan and kelurahan of the city, within the user's scope."""
    active = Worker.objects.visible_to(user).psm().filter(status=WorkerStatus.ACTIVE)
    per_village = dict(active.values_list("kelurahan_id").annotate(n=Count("id")).values_list("kelurahan_id", "n"))
    tksk = dict(Worker.objects.visible_to(user).tksk().active().values_list("kecamatan_id", "person__name"))
    villages, kecamatan = city_villages(), city_kecamatan()
    access = access_for(user)
    if not access.city_wide:
        in_scope = Q(parent_id__in=access.kecamatan_ids) | Q(pk__in=access.village_ids)
        villages = villages.filter(in_scope)
        kecamatan = kecamatan.filter(pk__in=villages.values("parent_id"))
    rows: dict[int | None, dict[str, Any]] = {}  # by kecamatan id, as a kelurahan's parent_id reads it
    for kec in kecamatan:
        rows[kec.pk] = {"kecamatan": kec, "tksk": tksk.get(kec.pk), "villages": [], "psm": 0, "empty": 0}
    for village in villages:
        count = per_village.get(village.pk, 0)
        row = rows[village.parent_id]
        row["villages"].append({"region": village, "psm": count})
        row["psm"] += count
        row["empty"] += count == 0
    return list(rows.values())


def board(period: BoardPeriod | None) -> QuerySet[BoardMembership]:
    if period is None:
        return BoardMembership.objects.none()
    return period.memberships.select_related("worker__person", "worker__kelurahan").order_by("position", "id")


def kecamatan_choices() -> QuerySet[Region]:
    return city_kecamatan()


def counts(user: Any) -> dict[str, int]:
    qs = Worker.objects.visible_to(user)
    return qs.aggregate(
        psm_active=Count("id", filter=Q(role="psm", status="aktif")),
        tksk_active=Count("id", filter=Q(role="tksk", status="aktif")),
        inactive=Count("id", filter=Q(status="nonaktif")),
        stopped=Count("id", filter=Q(status="berhenti")),
    )
