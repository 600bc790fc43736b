"""Reads for the program pages, API and reports, always from the user's scope."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from pilar.accounts.permissions import Perm, access_for, can
from pilar.accounts.visibility import visibility_for
from pilar.core.access import get_for_user
from pilar.core.listing import ListFilter
from pilar.identity.models import Person
from pilar.identity.search import person_q
from pilar.programs.models import QUOTA_STATUSES, Enrollment, EnrollmentStatus, HouseAssessment, Program
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan
from pilar.registry.models import Category, ExitReason, PpksRecord, PpksStatus
from pilar.registry.selectors import shown_nik


@dataclass(frozen=True)
class EnrollmentFilter(ListFilter):
    program: str = ""
    period: str = ""
    status: str = ""
    kecamatan: str = ""
    kelurahan: str = ""
    q: str = ""


def programs() -> QuerySet[Program]:
    """Programs are public information for every member of staff."""
    return Program.objects.select_related("agency").prefetch_related(
        "categories", "kecamatan_limits", "kelurahan_limits"
    )


def get_program(user: Any, code: str) -> Program:
    if not can(user, Perm.PROGRAM_VIEW):
        raise PermissionDenied
    return get_object_or_404(programs(), code=code)


def enrollment_list(user: Any, filters: EnrollmentFilter = EnrollmentFilter()) -> QuerySet[Enrollment]:
    qs = (
        Enrollment.objects.visible_to(user)
        .listing()
        .filter_area(kecamatan=filters.kecamatan, kelurahan=filters.kelurahan)
    )
    qs = qs.filter_code("program_id", Program, filters.program)
    if filters.period:
        qs = qs.filter(period__key=filters.period)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(person_q(filters.q, "person__") | person_q(filters.q, "household__head__"))
    return qs.order_by("-id")


def get_enrollment_for_user(user: Any, pk: int, perm: Perm | None = None) -> Enrollment:
    """The enrollment if the user may see it (404 otherwise); 403 if seen but ``perm`` is not held there."""
    return get_for_user(Enrollment.objects.visible_to(user).listing(), user, pk, perm)


def get_house_for_user(user: Any, pk: int) -> HouseAssessment:
    return get_for_user(HouseAssessment.objects.visible_to(user).listing(), user, pk)


def subject_of(enrollment: Enrollment) -> Person | None:
    """The person shown for an enrollment: its person, or its household's head."""
    return enrollment.person or (enrollment.household.head if enrollment.household is not None else None)


def shown_subject_nik(user: Any, enrollment: Enrollment) -> str:
    person = subject_of(enrollment)
    return (shown_nik(user, person.nik, enrollment) if person else None) or "–"


def shown_subject_name(user: Any, enrollment: Enrollment) -> str:
    """The beneficiary's name as the visibility table lets ``user`` see it (initials for the head of office)."""
    person = subject_of(enrollment)
    return visibility_for(user, enrollment).name(person.name) if person else str(enrollment.household or "")


def records_to_propose(user: Any, q: str) -> QuerySet[PpksRecord]:
    """Registry records the user may propose for a program, found by NIK or name (person or household head)."""
    qs = PpksRecord.objects.visible_to(user).listing().select_related("household__head")
    qs = qs.exclude(status__in=[PpksStatus.REJECTED, PpksStatus.EXITED])
    return qs.filter(person_q(q, "person__") | person_q(q, "household__head__"))


def record_for_user(user: Any, pk: Any) -> PpksRecord:
    qs = PpksRecord.objects.visible_to(user).listing().select_related("household__head")
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(qs, pk=pk)


# --- reports ------------------------------------------------------------------------------------


def reach(user: Any, *, program: str = "", period: str = "", kecamatan: str = "") -> list[dict[str, Any]]:
    """Beneficiaries by program and period, per kecamatan (or per kelurahan of ``kecamatan``), in the user's scope.

    ``beneficiaries`` are those holding a place (approved, delivered, completed); ``delivered`` those who received.
    """
    qs = enrollment_list(user, EnrollmentFilter(program=program, period=period, kecamatan=kecamatan))
    area = "kelurahan" if kecamatan else "kecamatan"
    rows = (
        qs.order_by()
        .values("program__code", "program__name", "period__key", f"{area}__code", f"{area}__name")
        .annotate(
            proposed=Count("id", filter=Q(status=EnrollmentStatus.PROPOSED)),
            beneficiaries=Count("id", filter=Q(status__in=QUOTA_STATUSES)),
            delivered=Count("id", filter=Q(status__in=[EnrollmentStatus.DELIVERED, EnrollmentStatus.COMPLETED])),
            rejected=Count("id", filter=Q(status=EnrollmentStatus.REJECTED)),
            exited=Count("id", filter=Q(status=EnrollmentStatus.EXITED)),
        )
        .order_by("program__name", "-period__key", f"{area}__code")
    )
    return [
        {
            "program": r["program__code"],
            "program_name": r["program__name"],
            "period": r["period__key"],
            "level": area,
            "region": r[f"{area}__code"],
            "region_name": r[f"{area}__name"],
            **{k: r[k] for k in ("proposed", "beneficiaries", "delivered", "rejected", "exited")},
        }
        for r in rows
    ]


def rtlh_progress(user: Any) -> list[dict[str, Any]]:
    """Per kecamatan, towards "no RTLH left": the houses the registry records as RTLH (``rtlh``: still open plus
    renovated), those approved for Bedah Rumah and not yet done, those renovated (their RTLH record left the
    registry as handled by the program) and those left (RTLH records still open: proposed, being verified or
    established). A rejected RTLH record was never an RTLH and counts nowhere."""
    open_statuses = [PpksStatus.PROPOSED, PpksStatus.NEEDS_FIX, PpksStatus.VERIFIED, PpksStatus.VALIDATED]
    records = PpksRecord.objects.visible_to(user).filter(category__kind=Category.Kind.RTLH).order_by()
    registry = {
        r["kecamatan_id"]: r
        for r in records.values("kecamatan_id").annotate(
            left=Count("id", filter=Q(status__in=open_statuses)),
            renovated=Count("id", filter=Q(status=PpksStatus.EXITED, exit_reason=ExitReason.HANDLED)),
        )
    }
    approved = dict(
        HouseAssessment.objects.visible_to(user)
        .filter(status=HouseAssessment.Status.APPROVED, enrollment__status=EnrollmentStatus.APPROVED)
        .order_by()
        .values_list("kecamatan_id")
        .annotate(n=Count("enrollment__household", distinct=True))
    )
    access = access_for(user)
    kecamatan: QuerySet[Region] = city_kecamatan()
    if not access.city_wide and not access.agency_ids:
        kecamatan = kecamatan.filter(Q(pk__in=access.kecamatan_ids) | Q(children__in=access.village_ids)).distinct()
    rows = []
    for kec in kecamatan:
        counts = registry.get(kec.pk, {"left": 0, "renovated": 0})
        total = counts["left"] + counts["renovated"]
        rows.append(
            {
                "kecamatan": kec,
                "rtlh": total,
                "approved": approved.get(kec.pk, 0),
                "renovated": counts["renovated"],
                "left": counts["left"],
                "percent": round(100 * counts["renovated"] / total) if total else None,
            }
        )
    return rows
