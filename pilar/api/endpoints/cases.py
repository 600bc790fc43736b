"""``/api/v1/cases``: cases and their workflow, one POST per step, over the same forms, selectors and services
as the pages.

Refusals: outside the user's scope 404 (as for a missing id), in scope without the permission 403,
deciding one's own plan 403, a step the case's stage does not allow 409, invalid input 400.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, require
from pilar.accounts.visibility import visibility_for
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import LoggedPage, Page, log_one
from pilar.api.workflow import step_routes
from pilar.cases import access, selectors, services
from pilar.cases.forms import CaseOpenForm
from pilar.cases.models import Case, Plan, Transfer
from pilar.cases.reference import stage_limits
from pilar.cases.workflow import CASE, PLAN, TRANSFER
from pilar.core.errors import DomainError

router = Router(tags=["kasus"])


class CaseOut(Schema):
    id: int
    reference: str
    stage: str
    risk_level: str
    kelurahan: str
    kecamatan: str
    category: str | None
    source: str
    subject: str
    overdue: bool
    stage_started_at: datetime
    stage_due_at: datetime | None
    assigned: list[str]
    created_at: datetime


class TimelineItem(Schema):
    kind: str
    at: datetime | None
    actor: str | None
    text: str
    confidential: bool = False


class CaseDetailOut(CaseOut):
    summary: str
    address: str
    reporter_name: str
    person: int | None
    household: int | None
    nik: str | None
    outcome: str
    close_reason: str
    reopen_count: int
    pending_plan: int | None
    pending_transfer_to: str | None
    timeline: list[TimelineItem]


@query_of(selectors.CaseFilter)
class CaseFilterIn(Schema):
    """The list's query parameters: the fields of ``CaseFilter``, which the list page reads too."""


def _out(request, case: Case, limits=None) -> dict[str, Any]:
    limits = limits if limits is not None else stage_limits()
    return {
        "id": case.pk,
        "reference": case.reference,
        "stage": case.stage,
        "risk_level": case.risk_level,
        "kelurahan": case.kelurahan.code,
        "kecamatan": case.kecamatan.code,
        "category": case.category.code if case.category else None,
        "source": case.source,
        "subject": visibility_for(request.user, case).name(case.subject_label),
        "overdue": selectors.is_overdue(case, limits),
        "stage_started_at": case.stage_started_at,
        "stage_due_at": selectors.due_at(case, limits),
        "assigned": [u.username for u in case.assigned.all()],
        "created_at": case.created_at,
    }


def _item(item: dict[str, Any], notes: bool) -> dict[str, Any]:
    obj, kind = item["obj"], item["kind"]
    text = (
        {
            "event": lambda: f"{obj.action}: {obj.reason}".rstrip(": "),
            "note": lambda: obj.text,
            "visit": lambda: f"{obj.visit_date.isoformat()} ({obj.visitors}): {obj.findings}",
            "document": lambda: obj.caption or obj.file.name,
            "assessment": lambda: f"{obj.risk_level} ({obj.score})",
            "referral": lambda: f"{getattr(item.get('agency'), 'code', '')}: {obj.action}",
        }[kind]()
        if notes
        else ""
    )
    actor = item["actor"]
    return {
        "kind": kind,
        "at": item["at"],
        "actor": actor.username if actor else None,
        "text": text,
        "confidential": bool(getattr(obj, "confidential", False)),
    }


def _detail(request, case: Case) -> dict[str, Any]:
    """The case with its timeline, logged as shown; confidential notes also get their own audit entry."""
    view = access.case_view(request.user, case)
    notes = view.notes_of(case.category.code if case.category else None)
    log_one(request, case, unmasked=view.unmasked)
    items, confidential_shown = selectors.timeline(request.user, case)
    if confidential_shown:
        access.log_confidential_view(request, case)
    pending_plan = case.plans.filter(status=Plan.Status.PENDING).values_list("pk", flat=True).first()
    transfer = case.transfers.filter(status=Transfer.Status.PENDING).select_related("to_user").first()
    return {
        **_out(request, case),
        "summary": case.summary if notes else "",
        "address": view.address(case.address),
        "reporter_name": view.name(case.reporter_name),
        "person": case.person_id,
        "household": case.household_id,
        "nik": view.nik(case.person.nik) if case.person else None,
        "outcome": case.outcome,
        "close_reason": case.close_reason if notes else "",
        "reopen_count": case.reopen_count,
        "pending_plan": pending_plan,
        "pending_transfer_to": transfer.to_user.username if transfer else None,
        "timeline": [_item(i, notes) for i in items],
    }


def _fresh(request, pk: int) -> dict[str, Any]:
    return _detail(request, access.get_case_for_user(request.user, pk))


@router.get("/", response=list[CaseOut])
@paginate(Page)
def list_cases(request, filters: Query[CaseFilterIn]):
    """Kasus di wilayah pengguna. Filter: ``kecamatan``, ``kelurahan`` (kode), ``stage`` (atau ``terbuka``),
    ``risk``, ``overdue=1``, ``mine=1``, ``worker`` (nama pengguna petugas), ``q`` (nama atau nomor kasus)."""
    require(request.user, Perm.CASE_VIEW)
    qs = selectors.case_list(request.user, selectors.CaseFilter(**filters.dict())).prefetch_related("assigned")
    limits = stage_limits()
    return LoggedPage(request, qs, lambda r, c: _out(r, c, limits), unmasked=False)


@router.get("/counts")
def case_counts(request):
    """Kasus terbuka per tahap dan yang terlambat, per kecamatan dan per kelurahan, di wilayah pengguna."""
    require(request.user, Perm.CASE_VIEW)
    return selectors.counts(request.user)


@router.get("/overdue")
def overdue_summary(request):
    """Jumlah kasus terlambat per petugas dan per kecamatan, di wilayah pengguna."""
    require(request.user, Perm.CASE_VIEW)
    return {
        "by_worker": selectors.overdue_by_worker(request.user),
        "by_kecamatan": selectors.overdue_by_kecamatan(request.user),
    }


@router.get("/{case_id}", response=CaseDetailOut)
def get_case(request, case_id: int):
    """Satu kasus dengan riwayatnya; catatan rahasia hanya untuk petugas kasus dan supervisornya."""
    return _fresh(request, case_id)


@router.post("/", response={201: CaseDetailOut}, openapi_extra=form_body(CaseOpenForm, {"person": {"type": "integer"}}))
def open_case(request, payload: Body[dict[str, Any]]):
    """Catat kasus baru (tahap intake) di wilayah pengguna; PSM/TKSK yang mencatat menjadi petugasnya."""
    require(request.user, Perm.CASE_MANAGE)
    form = valid_form(CaseOpenForm, payload, user=request.user)
    case = services.case_open(actor=request.user, **form.cleaned_data)
    return Status(201, _fresh(request, case.pk))


# assess, plan, advance, note, visit, link, assign, transfer, close, reopen: one endpoint per step of ``CASE``.
step_routes(
    router,
    CASE,
    id_param="case_id",
    noun="case",
    load=access.get_case_for_user,
    detail=_detail,
    response=CaseDetailOut,
    module=__name__,
    operation_id="case_{step}",
)


def _pending_plan(user: Any, case_id: int) -> Plan:
    case = access.get_case_for_user(user, case_id, Perm.CASE_APPROVE_PLAN)
    plan = case.plans.filter(status=Plan.Status.PENDING).select_related("case").first()
    if plan is None:
        raise DomainError(_("Tidak ada rencana yang menunggu persetujuan."), code="conflict")
    return plan


def _incoming(user: Any, case_id: int) -> Transfer:
    case = access.get_case_for_user(user, case_id)
    transfer = case.transfers.filter(status=Transfer.Status.PENDING).first()
    if transfer is None:
        raise DomainError(_("Tidak ada serah terima yang menunggu."), code="conflict")
    return transfer


# approve-plan, return-plan (``PLAN``), accept-transfer, decline-transfer (``TRANSFER``): the answer is the case.
for workflow, load, noun in ((PLAN, _pending_plan, "plan"), (TRANSFER, _incoming, "transfer")):
    step_routes(
        router,
        workflow,
        id_param="case_id",
        noun=noun,
        load=load,
        reload=access.get_case_for_user,
        detail=_detail,
        response=CaseDetailOut,
        module=__name__,
    )
