"""``/api/v1/cases``: cases and their workflow, one POST per step, over the same forms, selectors and services
as the pages.

Refusals: outside the user's scope 404 (as for a missing id), in scope without the permission 403,
deciding one's own plan 403, a step the case's stage does not allow 409, invalid input 400.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, can
from pilar.accounts.visibility import visibility_for
from pilar.api.api import form_errors
from pilar.api.endpoints.registry import body, log_one
from pilar.api.form_schema import bind
from pilar.api.pagination import LoggedPage, Page
from pilar.cases import access, selectors, services
from pilar.cases.actions import ACTIONS
from pilar.cases.forms import CaseOpenForm, DecisionForm, ReturnForm, TransferDeclineForm
from pilar.cases.models import Case, Plan, Transfer
from pilar.cases.reference import stage_limits
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


class CaseFilterIn(Schema):
    kecamatan: str = ""
    kelurahan: str = ""
    stage: str = ""
    risk: str = ""
    overdue: str = ""
    mine: str = ""
    worker: str = ""
    q: str = ""


def _out(request, case: Case, limits=None) -> dict[str, Any]:
    limits = limits if limits is not None else stage_limits()
    return {
        "id": case.pk,
        "reference": case.reference,
        "stage": case.stage,
        "risk_level": case.risk_level,
        "kelurahan": case.kelurahan.code,
        "kecamatan": case.kecamatan.code,
        "category": case.category.code if case.category_id else None,
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
            "event": lambda: f"{obj.kind}: {obj.text}".rstrip(": "),
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
    return {"kind": kind, "at": item["at"], "actor": actor.username if actor else None, "text": text,
            "confidential": bool(getattr(obj, "confidential", False))}  # fmt: skip


def _detail(request, case: Case) -> dict[str, Any]:
    """The case with its timeline, logged as shown; confidential notes also get their own audit entry."""
    view = access.case_view(request.user, case)
    notes = view.notes_of(case.category.code if case.category_id else None)
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
        "nik": view.nik(case.person.nik) if case.person_id else None,
        "outcome": case.outcome,
        "close_reason": case.close_reason if notes else "",
        "reopen_count": case.reopen_count,
        "pending_plan": pending_plan,
        "pending_transfer_to": transfer.to_user.username if transfer else None,
        "timeline": [_item(i, notes) for i in items],
    }


def _fresh(request, pk: int) -> dict[str, Any]:
    return _detail(request, access.get_case_for_user(request.user, pk))


def _require(request, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied


@router.get("/", response=list[CaseOut])
@paginate(Page)
def list_cases(request, filters: Query[CaseFilterIn]):
    """Kasus di wilayah pengguna. Filter: ``kecamatan``, ``kelurahan`` (kode), ``stage`` (atau ``terbuka``),
    ``risk``, ``overdue=1``, ``mine=1``, ``worker`` (nama pengguna petugas), ``q`` (nama atau nomor kasus)."""
    _require(request, Perm.CASE_VIEW)
    qs = selectors.case_list(request.user, selectors.CaseFilter(**filters.dict())).prefetch_related("assigned")
    limits = stage_limits()
    return LoggedPage(request, qs, lambda r, c: _out(r, c, limits), unmasked=False)


@router.get("/counts")
def case_counts(request):
    """Kasus terbuka per tahap dan yang terlambat, per kecamatan dan per kelurahan, di wilayah pengguna."""
    _require(request, Perm.CASE_VIEW)
    return selectors.counts(request.user)


@router.get("/overdue")
def overdue_summary(request):
    """Jumlah kasus terlambat per petugas dan per kecamatan, di wilayah pengguna."""
    _require(request, Perm.CASE_VIEW)
    return {"by_worker": selectors.overdue_by_worker(request.user),
            "by_kecamatan": selectors.overdue_by_kecamatan(request.user)}  # fmt: skip


@router.get("/{case_id}", response=CaseDetailOut)
def get_case(request, case_id: int):
    """Satu kasus dengan riwayatnya; catatan rahasia hanya untuk petugas kasus dan supervisornya."""
    return _fresh(request, case_id)


@router.post("/", response={201: CaseDetailOut}, openapi_extra=body(CaseOpenForm, person={"type": "integer"}))
def open_case(request, payload: Body[dict[str, Any]]):
    """Catat kasus baru (tahap intake) di wilayah pengguna; PSM/TKSK yang mencatat menjadi petugasnya."""
    _require(request, Perm.CASE_MANAGE)
    form = bind(CaseOpenForm, payload, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    case = services.case_open(actor=request.user, **form.cleaned_data)
    return Status(201, _fresh(request, case.pk))


def _step(request, case_id: int, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    action = ACTIONS[name]
    case = access.get_case_for_user(request.user, case_id, action.perm)
    form = action.bound(case, request.user, payload)
    if not form.is_valid():
        raise form_errors(form)
    action.call(case, request.user, form)
    return _fresh(request, case.pk)


def _route(name: str, path: str, doc: str, **described: dict[str, Any]) -> None:
    def endpoint(request, case_id: int, payload: Body[dict[str, Any]]):
        return _step(request, case_id, name, payload)

    endpoint.__name__ = f"case_{name}"
    endpoint.__doc__ = doc
    router.post(f"/{{case_id}}/{path}", response=CaseDetailOut, openapi_extra=body(ACTIONS[name].form, **described),
                operation_id=f"case_{name}")(endpoint)  # fmt: skip


_route("assess", "assess", "Asesmen: ``factors`` (daftar kode faktor risiko), ``needs``, ``strengths``.",
       factors={"type": "array", "items": {"type": "string"}})  # fmt: skip
_route("plan", "plan", "Ajukan rencana intervensi untuk disetujui supervisor.")
_route("advance", "advance", "Maju ke tahap berikutnya (asesmen → rencana perlu asesmen; → intervensi perlu rencana "
       "yang disetujui).")  # fmt: skip
_route("close", "close", "Tutup kasus dengan ``outcome`` dan ``reason``.")
_route("reopen", "reopen", "Buka kembali kasus yang sudah ditutup (supervisor), dengan ``reason``.")
_route("assign", "assign", "Tugaskan petugas (``user`` = nama pengguna) di kecamatan kasus.")
_route("transfer", "transfer", "Serahkan kasus kepada ``to_user`` (nama pengguna); berlaku setelah diterima.")
_route("link", "link", "Tautkan kasus ke orang di registri (``person`` = id orang).", person={"type": "integer"})
_route("note", "note", "Tambah catatan; ``confidential`` untuk catatan rahasia.",
       confidential={"type": "boolean"})  # fmt: skip
_route("visit", "visit", "Catat kunjungan rumah: ``visit_date``, ``visitors``, ``findings``.")


def _pending_plan(request, case_id: int) -> Plan:
    case = access.get_case_for_user(request.user, case_id, Perm.CASE_APPROVE_PLAN)
    plan = case.plans.filter(status=Plan.Status.PENDING).first()
    if plan is None:
        raise DomainError(_("Tidak ada rencana yang menunggu persetujuan."), code="conflict")
    return plan


def _decide(request, call, plan: Plan) -> dict[str, Any]:
    try:
        call()
    except DomainError as exc:
        if exc.code == "own_plan":
            raise HttpError(403, exc.message) from exc
        raise
    return _fresh(request, plan.case_id)


@router.post("/{case_id}/approve-plan", response=CaseDetailOut, openapi_extra=body(DecisionForm))
def approve_plan(request, case_id: int, payload: Body[dict[str, Any]]):
    """Setujui rencana yang menunggu (TKSK kecamatan/Dinsos; bukan penyusunnya). Kasus masuk tahap intervensi."""
    plan = _pending_plan(request, case_id)
    form = bind(DecisionForm, payload)
    if not form.is_valid():
        raise form_errors(form)
    return _decide(request, lambda: services.case_plan_approve(actor=request.user, plan=plan, **form.cleaned_data),
                   plan)  # fmt: skip


@router.post("/{case_id}/return-plan", response=CaseDetailOut, openapi_extra=body(ReturnForm))
def return_plan(request, case_id: int, payload: Body[dict[str, Any]]):
    """Kembalikan rencana yang menunggu dengan ``note`` apa yang perlu diperbaiki."""
    plan = _pending_plan(request, case_id)
    form = bind(ReturnForm, payload)
    if not form.is_valid():
        raise form_errors(form)
    return _decide(request, lambda: services.case_plan_return(actor=request.user, plan=plan, **form.cleaned_data),
                   plan)  # fmt: skip


def _incoming(request, case_id: int) -> Transfer:
    case = access.get_case_for_user(request.user, case_id)
    transfer = case.transfers.filter(status=Transfer.Status.PENDING).first()
    if transfer is None:
        raise DomainError(_("Tidak ada serah terima yang menunggu."), code="conflict")
    if transfer.to_user_id != request.user.pk:
        raise PermissionDenied
    return transfer


@router.post("/{case_id}/accept-transfer", response=CaseDetailOut)
def accept_transfer(request, case_id: int):
    """Terima serah terima kasus yang ditujukan kepada pengguna."""
    transfer = _incoming(request, case_id)
    services.case_transfer_accept(actor=request.user, transfer=transfer)
    return _fresh(request, case_id)


@router.post("/{case_id}/decline-transfer", response=CaseDetailOut, openapi_extra=body(TransferDeclineForm))
def decline_transfer(request, case_id: int, payload: Body[dict[str, Any]]):
    """Tolak serah terima, dengan ``note`` alasannya."""
    transfer = _incoming(request, case_id)
    form = bind(TransferDeclineForm, payload)
    if not form.is_valid():
        raise form_errors(form)
    services.case_transfer_decline(actor=request.user, transfer=transfer, **form.cleaned_data)
    return _fresh(request, case_id)
