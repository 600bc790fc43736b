"""``/api/v1/payroll-runs`` and ``/api/v1/payslips``: the PSM incentive payroll over the same services as the pages.

Refusals: no payroll access 404 for a run (403 for the list), a run the user generated themself 403 on
approve, an approved month 409 on generate and on approve, invalid input 400 with the message on the field.
Amounts are integers in rupiah.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, can, require
from pilar.api.form_schema import valid
from pilar.api.pagination import LoggedPage, Page, log_one
from pilar.api.workflow import step_routes
from pilar.core.errors import DomainError
from pilar.core.workflow import Refused
from pilar.incentives import selectors, services
from pilar.incentives.exports import description
from pilar.incentives.forms import GenerateForm
from pilar.incentives.models import PayrollExclusion, PayrollLine, PayrollRun
from pilar.incentives.views import run_file
from pilar.incentives.workflow import PAYROLL

router = Router(tags=["insentif PSM"])
payslips = Router(tags=["insentif PSM"])


class RunOut(Schema):
    id: int
    period: str
    status: str
    rule: str
    require_report: bool
    line_count: int
    exclusion_count: int
    total: int
    generated_by: str
    generated_at: datetime
    approved_by: str | None
    approved_at: datetime | None


class LineOut(Schema):
    id: int
    worker: int
    name: str
    kind: str
    paid_month: str
    kecamatan: str
    kelurahan: str
    rate: int
    active_days: int
    days_in_month: int
    amount: int
    description: str
    note: str
    account_number: str  # masked ("******7890"); the bank file has it whole


class ExclusionOut(Schema):
    worker: int
    name: str
    kecamatan: str
    reason: str
    detail: str


class RunDetailOut(RunOut):
    lines: list[LineOut]
    exclusions: list[ExclusionOut]


class GenerateIn(Schema):
    period: str
    rule: str = "prorated"
    require_report: bool = False
    allow_unfinished: bool = False  # the current, unfinished month: refused unless set (and audited)


def _run(run: PayrollRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "period": f"{run.period:%Y-%m}",
        "status": run.status,
        "rule": run.rule,
        "require_report": run.require_report,
        "line_count": run.line_count,
        "exclusion_count": run.exclusion_count,
        "total": int(run.total),
        "generated_by": run.generated_by.get_username(),
        "generated_at": run.generated_at,
        "approved_by": run.approved_by.get_username() if run.approved_by else None,
        "approved_at": run.approved_at,
    }


def _hide_names(request) -> Callable[[list[Any]], Any]:
    """A restricted PSM's name is withheld as on the pages (``selectors.hide_restricted_names``)."""
    return lambda rows: selectors.hide_restricted_names(request.user, rows)


def _line(request, line: PayrollLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "worker": line.worker_id,
        "name": line.name,
        "kind": line.kind,
        "paid_month": f"{line.paid_month:%Y-%m}",
        "kecamatan": line.kecamatan.code,
        "kelurahan": line.kelurahan.code,
        "rate": int(line.rate),
        "active_days": line.active_days,
        "days_in_month": line.days_in_month,
        "amount": int(line.amount),
        "description": description(line),
        "note": line.note,
        "account_number": selectors.shown_account(line.account_number, whole=False),
    }


def _exclusion(request, x: PayrollExclusion) -> dict[str, Any]:
    return {
        "worker": x.worker_id,
        "name": x.name,
        "kecamatan": x.kecamatan.code,
        "reason": x.reason,
        "detail": x.detail,
    }


def _detail(request, run: PayrollRun) -> dict[str, Any]:
    log_one(request, run, unmasked=False)
    lines = list(selectors.run_lines(run).iterator(chunk_size=2000))
    exclusions = list(run.exclusions.select_related("kecamatan"))
    _hide_names(request)([*lines, *exclusions])  # one query for both lists
    return _run(run) | {
        "lines": [_line(request, line) for line in lines],
        "exclusions": [_exclusion(request, x) for x in exclusions],
    }


def _refused(exc: DomainError) -> Exception:
    if isinstance(exc, Refused) or exc.code == "conflict":
        return exc  # answered with its own status (403/409), or 409
    return ValidationError({exc.field or "__all__": [exc.message]})


@router.get("/", response=list[RunOut])
@paginate(Page)
def list_runs(request):
    """Penggajian insentif PSM, terbaru dahulu."""
    require(request.user, Perm.PAYROLL_VIEW)
    return [_run(run) for run in selectors.run_list(request.user)]


@router.post("/", response={201: RunDetailOut})
def generate_run(request, payload: GenerateIn):
    """Buat (atau buat ulang draf) penggajian bulan ``period`` ("TTTT-BB"); ``rule``: full, prorated, none."""
    require(request.user, Perm.PAYROLL_GENERATE)
    form = valid(GenerateForm(payload.dict()))
    try:
        run = services.payroll_generate(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        raise _refused(exc) from exc
    return Status(201, _detail(request, selectors.get_run_for_user(request.user, run.pk)))


@router.get("/{run_id}", response=RunDetailOut)
def get_run(request, run_id: int):
    """Satu penggajian dengan semua baris (``lines``) dan PSM yang dikecualikan beserta alasannya."""
    return _detail(request, selectors.get_run_for_user(request.user, run_id))


@router.get("/{run_id}/lines", response=list[LineOut])
@paginate(Page)
def list_lines(request, run_id: int):
    """Baris penggajian per halaman (untuk penggajian besar)."""
    run = selectors.get_run_for_user(request.user, run_id)
    return LoggedPage(request, selectors.run_lines(run), _line, unmasked=False, prepare=_hide_names(request))


# approve: one endpoint per step of the declaration (discarding keeps its DELETE below).
step_routes(
    router,
    PAYROLL,
    id_param="run_id",
    noun="run",
    load=selectors.get_run_for_user,
    detail=lambda request, run: _run(run),
    response=RunOut,
    module=__name__,
)


@router.delete("/{run_id}", response={204: None})
def discard_run(request, run_id: int):
    """Hapus draf penggajian (409 bila sudah disetujui)."""
    run = selectors.get_run_for_user(request.user, run_id, Perm.PAYROLL_GENERATE)
    try:
        services.payroll_discard(run=run, actor=request.user)
    except DomainError as exc:
        raise _refused(exc) from exc
    return Status(204, None)


@router.get("/{run_id}/export/{fmt}")
def export_run(request, run_id: int, fmt: str) -> HttpResponse:
    """File bank ``csv``/``xlsx`` (nomor rekening utuh; pembuat/penyetuju saja) atau rekap ``pdf`` per kecamatan."""
    try:
        return run_file(request, selectors.get_run_for_user(request.user, run_id), fmt)
    except DomainError as exc:
        raise _refused(exc) from exc


@payslips.get("/", response=list[LineOut])
@paginate(Page)
def my_payslips(request):
    """Slip insentif milik pengguna (PSM): baris penggajian yang sudah disetujui."""
    if not can(request.user, Perm.PAYSLIP_VIEW_OWN):
        raise PermissionDenied
    return LoggedPage(request, selectors.own_lines(request.user), _line, unmasked=False, prepare=_hide_names(request))
