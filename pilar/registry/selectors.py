"""Reads of the registry for pages, API and exports, always from the user's scope."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy

from pilar.accounts.permissions import Perm, access_for, can
from pilar.accounts.visibility import visibility_for
from pilar.core.access import get_for_user
from pilar.core.paging import Total, total_of
from pilar.identity import search
from pilar.identity.models import Person
from pilar.identity.restriction import hide_restricted
from pilar.regions.models import Region
from pilar.regions.selectors import city_villages
from pilar.registry.models import Category, Household, HouseholdMember, ImportJob, PpksRecord
from pilar.registry.querysets import ScopedByAreaQuerySet


@dataclass(frozen=True)
class PpksFilter:
    kecamatan: str = ""
    kelurahan: str = ""
    category: str = ""
    status: str = ""
    q: str = ""
    import_job: str = ""  # ``?import=<job id>``: the records an import created (or wrote on resolving a conflict)

    @classmethod
    def from_params(cls, params: Any) -> "PpksFilter":
        values = {f: (params.get(f) or "").strip() for f in cls.__dataclass_fields__}
        values["import_job"] = values["import_job"] or (params.get("import") or "").strip()
        return cls(**values)


def ppks_list(user: Any, filters: PpksFilter = PpksFilter(), *, many: bool = False) -> QuerySet[PpksRecord]:
    """The user's records through ``filters``, newest first. ``many``: the name search is known to match more than
    its count cap (``ppks_total``), and a page of it is read newest first (``search.walked_person_q``)."""
    qs = PpksRecord.objects.visible_to(user).listing()
    qs = qs.filter_area(kecamatan=filters.kecamatan, kelurahan=filters.kelurahan)
    qs = qs.filter_code("category_id", Category, filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.import_job:
        qs = qs.filter(import_job_id=int(filters.import_job)) if filters.import_job.isdigit() else qs.none()
    if filters.q:
        found = search.walked_person_q if many else search.joined_person_q
        qs = qs.filter(found(filters.q, "person__"))
    return qs.order_by("-id")


def ppks_found(user: Any, filters: PpksFilter) -> tuple[QuerySet[PpksRecord], Total]:
    """``ppks_list`` and its size (``ppks_total``), read the way that suits the size, for the page and the API.

    A name search matching more records than it counts is read newest first (``many``). One matching fewer is
    sorted after it is found: PostgreSQL's estimate of a long name's matches is rough (9,676 for the 12 of
    "salsabila sihombing" at a million records), and with ``ORDER BY id DESC LIMIT 25`` it then walks the
    records backwards looking for them, 6.7 s for those 12; ordered by ``id + 0`` it takes the trigram index
    and sorts them (18 ms). The same rows in the same order."""
    records = ppks_list(user, filters)
    total = ppks_total(user, filters, records)
    if filters.q and not total.exact:
        return ppks_list(user, filters, many=True), total
    if filters.q and search.sorted_after_finding(filters.q):
        records = records.order_by(OrderBy(F("id") + 0, descending=True))
    return records, total


# How many records a user's list holds, from the summary tables (``pilar.stats`` registers it: it sits above
# the registry): ``(user, filters) -> int | None``, None when the tables cannot say (a name search, an import).
PPKS_ESTIMATE: list[Callable[[Any, PpksFilter], int | None]] = []


def ppks_total(user: Any, filters: PpksFilter, records: QuerySet[PpksRecord]) -> Total:
    """The size of ``ppks_list(user, filters)`` (``records``) for the page and the API alike: counted up to
    ``COUNT_CAP``; above it, for lists the summary tables describe (area, category, status), their estimate
    (shown "± N"); for a search, "more than" the search's own cap."""
    if filters.q:
        return total_of(records, cap=search.SEARCH_COUNT_CAP)
    if filters.import_job:
        # One import's records: the office checks this figure against the file's rows, so it is exact whatever
        # its size (an index on the import, not a walk over the registry).
        return Total(records.order_by().count())
    estimate = PPKS_ESTIMATE[0](user, filters) if PPKS_ESTIMATE else None
    return total_of(records, estimate)


def get_ppks_for_user(user: Any, pk: int, perm: Perm = Perm.PPKS_VIEW) -> PpksRecord:
    """The record if it lies in the user's area (404 otherwise); 403 if visible but ``perm`` is not held."""
    return get_for_user(PpksRecord.objects.visible_to(user).listing(), user, pk, perm)


def persons_visible_to(user: Any) -> QuerySet[Person]:
    """Registry persons the user may see: with a household, a PPKS record or a KTP address in the user's area."""
    access = access_for(user)
    if Perm.PPKS_VIEW not in access.perms:
        return Person.objects.none()
    if access.city_wide:
        return hide_restricted(Person.objects.all(), user)
    # Correlated EXISTS, not ``pk IN (records UNION members)``: inside an OR, PostgreSQL can only evaluate
    # the IN as a whole-area set, built for every query, even one that asks for a single person by id.
    records = PpksRecord.objects.visible_to(user).filter(person_id=OuterRef("pk"))
    members = Household.objects.visible_to(user).filter(members__person_id=OuterRef("pk"))
    # Also those whose KTP kelurahan lies in the area: a PSM must find the person it just registered
    # in order to propose them or put them on a KK.
    # Not the PSM and TKSK themselves: a worker's own data follows the workforce rules, not the registry's.
    living_here = (Q(village_id__in=access.village_ids) | Q(village__parent_id__in=access.kecamatan_ids)) & Q(
        worker__isnull=True
    )
    return hide_restricted(Person.objects.filter(Exists(records) | Exists(members) | living_here), user)


def households_visible_to(user: Any) -> ScopedByAreaQuerySet:
    """Households in the user's area, with their current members (``until`` empty) as ``current_members``:
    past ones belong to the KK history, not today's family."""
    current = HouseholdMember.objects.filter(until__isnull=True).order_by("id")
    return (
        Household.objects.visible_to(user)
        .select_related("kelurahan", "kecamatan", "head")
        # The model declares the attribute this prefetch sets (for its readers' types).
        .prefetch_related(Prefetch("members", queryset=current, to_attr="current_members"))  # type: ignore[no-redef]
    )


def shown_nik(user: Any, nik: str | None, obj: Any = None) -> str | None:
    """A registry person's NIK as the visibility table lets ``user`` see it on ``obj`` (None: hidden)."""
    return visibility_for(user, obj).nik(nik)


def shown_kk(user: Any, kk: str | None, obj: Any = None) -> str | None:
    return visibility_for(user, obj).kk(kk)


def villages_in_area(user: Any) -> QuerySet[Region]:
    """The kelurahan a user may record in: a PSM its own, a TKSK its kecamatan's, Dinsos the city."""
    access = access_for(user)
    villages = city_villages()
    if access.city_wide:
        return villages
    return villages.filter(Q(pk__in=access.village_ids) | Q(parent_id__in=access.kecamatan_ids))


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Import jobs are Dinsos' own work, city-wide: visible to whoever may import."""
    if not can(user, Perm.REGISTRY_IMPORT):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("user")
