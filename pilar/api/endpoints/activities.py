"""``/api/v1/activity-reports``: the PSM's monthly reports and their check, over the activities services.

Refusals: a report the user may not see 404 (as for a missing id), seen without the permission 403,
checking one's own report 403, a step the status does not allow 409, invalid input 400 on the field.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm
from pilar.activities import services
from pilar.activities.forms import ReportCreateForm, ReportForm, ReturnForm
from pilar.activities.models import ActivityReport
from pilar.activities.selectors import ReportFilter, get_report_for_user, parse_period, report_list
from pilar.api.api import form_errors
from pilar.api.endpoints.registry import body, log_one, require
from pilar.api.form_schema import form_body
from pilar.api.pagination import LoggedPage, Page
from pilar.workers.models import Worker

router = Router(tags=["laporan kegiatan PSM"])


class ReportOut(Schema):
    id: int
    worker: int
    worker_name: str
    period: str
    status: str
    kecamatan: str
    kelurahan: str
    visits: int
    ppks_found: int
    ppks_proposed: int
    cases_handled: int
    info_relayed: int


class VisitOut(Schema):
    date: date
    place: str
    purpose: str


class ReportDetailOut(ReportOut):
    ppks_notes: str
    info_notes: str
    notes: str
    submitted_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    return_reason: str
    visit_entries: list[VisitOut]
    photo_count: int


class ReportFilterIn(Schema):
    period: str = ""
    kecamatan: str = ""
    kelurahan: str = ""
    status: str = ""


def _out(request, report: ActivityReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "worker": report.worker_id,
        "worker_name": report.worker.person.name,
        "period": report.period_label,
        "status": report.status,
        "kecamatan": report.kecamatan.code,
        "kelurahan": report.kelurahan.code,
        **{f: getattr(report, f) for f in ("visits", "ppks_found", "ppks_proposed", "cases_handled", "info_relayed")},
    }


def _shown(request, report: ActivityReport) -> dict[str, Any]:
    log_one(request, report, unmasked=False)
    return {
        **_out(request, report),
        **{f: getattr(report, f) for f in ("ppks_notes", "info_notes", "notes", "submitted_at", "decided_at")},
        "return_reason": report.return_reason,
        "decided_by": report.decided_by.username if report.decided_by_id else None,
        "visit_entries": [{"date": v.date, "place": v.place, "purpose": v.purpose} for v in report.visit_entries.all()],
        "photo_count": report.photos.count(),
    }


def _fresh(request, pk: int) -> dict[str, Any]:
    return _shown(request, get_report_for_user(request.user, pk))


@router.get("/", response=list[ReportOut])
@paginate(Page)
def list_reports(request, filters: Query[ReportFilterIn]):
    """Laporan yang boleh dilihat pengguna. Filter: ``period`` (TTTT-BB), ``kecamatan``, ``kelurahan``, ``status``."""
    require(request, Perm.ACTIVITY_VIEW)
    if filters.period and parse_period(filters.period) is None:
        raise ValidationError({"period": [_("Isi bulan dengan format TTTT-BB, mis. 2026-09.")]})
    qs = report_list(request.user, ReportFilter.from_params(filters.dict()))
    return LoggedPage(request, qs, _out, unmasked=False)


@router.get("/{report_id}", response=ReportDetailOut)
def get_report(request, report_id: int):
    return _fresh(request, report_id)


@router.post(
    "/",
    response={201: ReportDetailOut},
    openapi_extra=body(
        ReportCreateForm,
        period={"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        cases_handled={"description": "diabaikan bila kasus dicatat di Pilar: dihitung dari penugasan kasus"},
    ),
)
def create_report(request, payload: Body[dict[str, Any]]):
    """PSM membuat laporan bulanannya sendiri (draf). Jumlah PPKS diambil dari registri."""
    require(request, Perm.ACTIVITY_REPORT)
    worker = Worker.objects.filter(user=request.user).first()
    if worker is None:
        raise PermissionDenied
    form = ReportCreateForm(payload)
    if not form.is_valid():
        raise form_errors(form)
    report = services.report_create(
        actor=request.user, worker=worker, period=form.cleaned_data["period"], data=form.report_data()
    )
    return Status(201, _fresh(request, report.pk))


@router.put("/{report_id}", response=ReportDetailOut, openapi_extra=form_body(ReportForm))
def update_report(request, report_id: int, payload: Body[dict[str, Any]]):
    """PSM mengubah laporan draf atau yang dikembalikan."""
    report = get_report_for_user(request.user, report_id, Perm.ACTIVITY_REPORT)
    form = ReportForm(payload)
    if not form.is_valid():
        raise form_errors(form)
    services.report_update(actor=request.user, report=report, data=form.report_data())
    return _fresh(request, report_id)


@router.post("/{report_id}/submit", response=ReportDetailOut)
def submit_report(request, report_id: int):
    report = get_report_for_user(request.user, report_id, Perm.ACTIVITY_REPORT)
    services.report_submit(actor=request.user, report=report)
    return _fresh(request, report_id)


@router.post("/{report_id}/accept", response=ReportDetailOut)
def accept_report(request, report_id: int):
    """TKSK kecamatan (atau Dinsos) menerima laporan berstatus diajukan; tidak untuk laporan sendiri."""
    report = get_report_for_user(request.user, report_id, Perm.ACTIVITY_CHECK)
    services.report_accept(actor=request.user, report=report)
    return _fresh(request, report_id)


@router.post("/{report_id}/return", response=ReportDetailOut, openapi_extra=form_body(ReturnForm))
def return_report(request, report_id: int, payload: Body[dict[str, Any]]):
    """Kembalikan laporan ke PSM dengan alasan (``reason``)."""
    report = get_report_for_user(request.user, report_id, Perm.ACTIVITY_CHECK)
    form = ReturnForm(payload)
    if not form.is_valid():
        raise form_errors(form)
    services.report_return(actor=request.user, report=report, reason=form.cleaned_data["reason"])
    return _fresh(request, report_id)
