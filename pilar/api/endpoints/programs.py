"""``/api/v1/programs`` and ``/api/v1/enrollments``: programs, their beneficiaries and reach, over the same forms,
selectors and services as the pages.

Refusals: outside the user's scope 404, in scope without the permission 403, deciding one's own proposal 403,
a step the status does not allow or a full quota 409, invalid input 400 with the message on the field.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, require
from pilar.accounts.visibility import visibility_for
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import LoggedPage, Page, log_one
from pilar.api.workflow import HistoryOut, history_row, step_routes
from pilar.core.errors import DomainError
from pilar.programs import eligibility, periods, selectors, services
from pilar.programs.forms import ProposeForm
from pilar.programs.models import Enrollment, Program
from pilar.programs.workflow import ENROLLMENT

programs = Router(tags=["program"])
enrollments = Router(tags=["program"])


class ProgramOut(Schema):
    code: str
    name: str
    agency: str
    agency_name: str
    kind: str
    summary: str
    who_qualifies: str
    how_to_apply: str
    benefit: str
    default_amount: int | None
    period_kind: str
    quota: int | None
    active_from: date
    active_until: date | None
    is_active: bool
    subject: str
    categories: list[str]
    min_age: int | None
    max_age: int | None
    sex: str
    kecamatan_limits: list[str]
    kelurahan_limits: list[str]
    requires_validated: bool
    requires_nik: bool


class ReachOut(Schema):
    program: str
    program_name: str
    period: str
    level: str
    region: str
    region_name: str
    proposed: int
    beneficiaries: int
    delivered: int
    rejected: int
    exited: int


class ReachIn(Schema):
    program: str = ""
    period: str = ""
    kecamatan: str = ""


def _program(p: Program) -> dict[str, Any]:
    return {
        **{
            f: getattr(p, f)
            for f in (
                "code",
                "name",
                "kind",
                "summary",
                "who_qualifies",
                "how_to_apply",
                "benefit",
                "period_kind",
                "quota",
                "active_from",
                "active_until",
                "is_active",
                "subject",
                "min_age",
                "max_age",
                "sex",
                "requires_validated",
                "requires_nik",
            )
        },
        "agency": p.agency.code,
        "agency_name": p.agency.name,
        "default_amount": int(p.default_amount) if p.default_amount is not None else None,
        "categories": [c.code for c in p.categories.all()],
        "kecamatan_limits": [r.code for r in p.kecamatan_limits.all()],
        "kelurahan_limits": [r.code for r in p.kelurahan_limits.all()],
    }


@programs.get("/", response=list[ProgramOut])
@paginate(Page)
def list_programs(request):
    """Program dan syaratnya (siapa yang berhak, cara mendaftar), untuk setiap staf."""
    require(request.user, Perm.PROGRAM_VIEW)
    return [_program(p) for p in selectors.programs().order_by("name")]


@programs.get("/reach", response=list[ReachOut])
def program_reach(request, filters: Query[ReachIn]):
    """Jangkauan: penerima per program dan periode, per kecamatan (atau per kelurahan bila ``kecamatan`` diisi),
    dalam wilayah pengguna. ``beneficiaries`` = disetujui + disalurkan + selesai."""
    require(request.user, Perm.ENROLLMENT_VIEW)
    return selectors.reach(request.user, **filters.dict())


class CheckOut(Schema):
    label: str
    ok: bool
    message: str


class EligibilityOut(Schema):
    program: str
    record: int
    period: str
    eligible: bool
    checks: list[CheckOut]


class EligibilityIn(Schema):
    record: int
    period: str = ""


@programs.get("/{code}/eligibility", response=EligibilityOut)
def program_eligibility(request, code: str, query: Query[EligibilityIn]):
    """Apakah data PPKS ``record`` memenuhi syarat program pada ``period`` (kosong: periode berjalan): setiap
    syarat, terpenuhi atau tidak, dengan alasannya. Data PPKS di luar wilayah pengguna: 404."""
    require(request.user, Perm.ENROLLMENT_PROPOSE)
    program = selectors.get_program(request.user, code)
    record = selectors.record_for_user(request.user, query.record)
    log_one(request, record, unmasked=False)
    period = periods.period_preview(program, query.period)  # a question: nothing is written
    checks = eligibility.evaluate(program, record, on=periods.judged_on(period))
    return {
        "program": program.code,
        "record": record.pk,
        "period": period.key,
        "eligible": all(c.ok for c in checks),
        "checks": [{"label": c.label, "ok": c.ok, "message": c.message} for c in checks],
    }


@programs.get("/{code}", response=ProgramOut)
def get_program(request, code: str):
    return _program(selectors.get_program(request.user, code))


# --- enrollments --------------------------------------------------------------------------------


class EnrollmentEventOut(HistoryOut):
    reason: str


class EnrollmentOut(Schema):
    id: int
    program: str
    period: str
    status: str
    kecamatan: str
    kelurahan: str
    record: int
    category: str
    person: int | None
    household: int | None
    name: str | None
    nik: str | None
    proposed_at: datetime
    proposed_by: str | None
    decided_at: datetime | None
    reject_reason: str
    delivered_on: date | None
    amount: int | None
    item: str
    exit_date: date | None
    exit_reason: str


class EnrollmentDetailOut(EnrollmentOut):
    note: str
    events: list[EnrollmentEventOut]
    house: dict[str, Any] | None


@query_of(selectors.EnrollmentFilter)
class EnrollmentFilterIn(Schema):
    """The list's query parameters: the fields of ``EnrollmentFilter``, which the list page reads too."""


def _out(request, e: Enrollment) -> dict[str, Any]:
    subject = selectors.subject_of(e)
    return {
        "id": e.pk,
        "program": e.program.code,
        "period": e.period.key,
        "status": e.status,
        "kecamatan": e.kecamatan.code,
        "kelurahan": e.kelurahan.code,
        "record": e.record_id,
        "category": e.record.category.code,
        "person": e.person_id,
        "household": e.household_id,
        "name": selectors.shown_subject_name(request.user, e) if subject else None,
        "nik": None if subject is None or not subject.nik else selectors.shown_subject_nik(request.user, e),
        "proposed_at": e.proposed_at,
        "proposed_by": e.proposed_by.username if e.proposed_by is not None else None,
        "decided_at": e.decided_at,
        "reject_reason": e.reject_reason,
        "delivered_on": e.delivered_on,
        "amount": int(e.amount) if e.amount is not None else None,
        "item": e.item,
        "exit_date": e.exit_date,
        "exit_reason": e.exit_reason,
    }


def _house(e: Enrollment) -> dict[str, Any] | None:
    h = getattr(e, "house", None) if e.program.kind == Program.Kind.HOUSE else None
    if h is None:
        return None
    return {
        "id": h.pk,
        "status": h.status,
        "is_rtlh": h.is_rtlh,
        "score": h.score,
        "checklist": h.checklist,
        "floor_area": str(h.floor_area),
        "occupants": h.occupants,
        "assessed_on": h.assessed_on,
        "renovated_on": h.renovated_on,
        "cost": int(h.cost) if h.cost is not None else None,
    }


def _shown(request, pk: int) -> dict[str, Any]:
    e = selectors.get_enrollment_for_user(request.user, pk)
    log_one(request, e, unmasked=visibility_for(request.user, e).unmasked)
    events = [history_row(v, reason=v.reason) for v in e.events.select_related("actor")]
    return {**_out(request, e), "note": e.note, "events": events, "house": _house(e)}


def _list_qs(request, filters: EnrollmentFilterIn):
    qs = selectors.enrollment_list(request.user, selectors.EnrollmentFilter(**filters.dict()))
    return qs.select_related("proposed_by")


@enrollments.get("/", response=list[EnrollmentOut])
@paginate(Page)
def list_enrollments(request, filters: Query[EnrollmentFilterIn]):
    """Penerima program di wilayah pengguna (OPD: program milik instansinya). Filter: ``program`` (kode),
    ``period`` (2026 atau 2026-11), ``status``, ``kecamatan``, ``kelurahan``, ``q`` (nama atau NIK)."""
    require(request.user, Perm.ENROLLMENT_VIEW)
    return LoggedPage(request, _list_qs(request, filters), _out, unmasked=visibility_for(request.user).unmasked)


@enrollments.get("/{enrollment_id}", response=EnrollmentDetailOut)
def get_enrollment(request, enrollment_id: int):
    """Satu penerima dengan riwayatnya (``events``) dan, untuk Bedah Rumah, penilaian rumahnya (``house``)."""
    return _shown(request, enrollment_id)


def _refusal(exc: ValidationError) -> Exception | None:
    for field, errors in getattr(exc, "error_dict", {}).items():
        for error in errors:
            message = " ".join(error.messages)
            if error.code == "duplicate":
                return DomainError(message, field=field, code=error.code)  # answered with 409
    return None


def _call(service: Any, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except ValidationError as exc:
        refusal = _refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc


@enrollments.post(
    "/",
    response={201: EnrollmentDetailOut},
    openapi_extra=form_body(
        ProposeForm,
        {
            "program": {"description": "kode program, lihat /api/v1/programs/"},
            "record": {"type": "integer", "description": "id data PPKS (/api/v1/ppks/)"},
        },
    ),
)
def propose_enrollment(request, payload: Body[dict[str, Any]]):
    """Usulkan penerima: data PPKS di wilayah pengguna untuk satu program dan periode. Syarat yang gagal
    dijelaskan semuanya (400, ``errors.record``); penerima ganda pada periode yang sama ditolak (409)."""
    require(request.user, Perm.ENROLLMENT_PROPOSE)
    form = valid_form(ProposeForm, payload, user=request.user)
    enrollment = _call(services.enrollment_propose, actor=request.user, **form.service_kwargs())
    return Status(201, _shown(request, enrollment.pk))


# approve, reject, deliver, complete, exit: one endpoint per step of the declaration.
step_routes(
    enrollments,
    ENROLLMENT,
    id_param="enrollment_id",
    noun="enrollment",
    load=selectors.get_enrollment_for_user,
    detail=lambda request, enrollment: _shown(request, enrollment.pk),
    response=EnrollmentDetailOut,
    module=__name__,
)
