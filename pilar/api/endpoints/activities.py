"""``/api/v1/activity-reports``: the PSM's monthly reports and their check, over the activities services.

Refusals: a report the user may not see 404 (as for a missing id), seen without the permission 403,
checking one's own report 403, a step the status does not allow 409, invalid input 400 on the field.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, access_for, require
from pilar.accounts.visibility import visibility_for
from pilar.activities import recap, services
from pilar.activities.forms import ReportCreateForm, ReportForm
from pilar.activities.models import ActivityReport, RoadshowVisit
from pilar.activities.selectors import (
    ReportFilter,
    get_report_for_user,
    month_start,
    parse_period,
    previous_month,
    report_list,
)
from pilar.activities.workflow import REPORT
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import LoggedPage, Page, log_one
from pilar.api.workflow import step_routes
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


@query_of(ReportFilter)
class ReportFilterIn(Schema):
    """The list's query parameters: the fields of ``ReportFilter``, which the list page reads too."""


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
    notes = visibility_for(request.user, report).notes_of(None)  # the PSM's words name the people visited
    return {
        **_out(request, report),
        **{f: getattr(report, f) if notes else "" for f in ("ppks_notes", "notes")},
        **{f: getattr(report, f) for f in ("info_notes", "submitted_at", "decided_at")},
        "return_reason": report.return_reason,
        "decided_by": report.decided_by.username if report.decided_by is not None else None,
        "visit_entries": [
            {"date": v.date, "place": v.place if notes else "", "purpose": v.purpose if notes else ""}
            for v in report.visit_entries.all()
        ],
        "photo_count": report.photos.count(),
    }


def _fresh(request, pk: int) -> dict[str, Any]:
    return _shown(request, get_report_for_user(request.user, pk))


class RecapRowOut(Schema):
    code: str | None
    name: str
    psm: int
    submitted: int
    accepted: int
    missing: int
    visits: int
    ppks_found: int
    ppks_proposed: int
    cases_handled: int
    info_relayed: int


class RecapOut(Schema):
    period: str
    kecamatan: str | None
    rows: list[RecapRowOut]
    total: RecapRowOut


def _recap_row(row: recap.RecapRow, name: str = "") -> dict[str, Any]:
    figures = ("psm", "submitted", "accepted", "missing", *recap.SUMS)
    region = row.region
    return {
        "code": region.code if region else None,
        "name": name or (region.name if region else ""),
        **{f: getattr(row, f) for f in figures},
    }


# A kecamatan outside the user's own answers 404 like a missing one: documented, as for a path parameter.
NOT_FOUND = {
    "404": {
        "description": "Kecamatan tidak dikenal atau di luar wilayah pengguna",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
}


@router.get("/recap", response=RecapOut, openapi_extra={"responses": NOT_FOUND})
def recap_report(request, period: str = "", kecamatan: str = ""):
    """Rekap bulanan per kelurahan satu kecamatan (atau per kecamatan seluruh kota, untuk Dinsos). TKSK dan PSM:
    kecamatannya sendiri; kecamatan lain 404. Angka kegiatan dari laporan yang diajukan atau diterima."""
    require(request.user, Perm.ACTIVITY_VIEW)
    chosen = parse_period(period) if period else previous_month(month_start(timezone.localdate()))
    if chosen is None:
        raise ValidationError({"period": [_("Isi bulan dengan format TTTT-BB, mis. 2026-09.")]})
    options = recap.kecamatan_choices(request.user)
    region = get_object_or_404(options, code=kecamatan) if kecamatan else None
    if region is None and not access_for(request.user).city_wide:
        region = options.first()
    result = recap.build_recap(period=chosen, kecamatan=region)
    return {
        "period": f"{chosen:%Y-%m}",
        "kecamatan": region.code if region else None,
        "rows": [_recap_row(row) for row in result.rows],
        "total": _recap_row(result.total, name=str(_("Jumlah"))),
    }


@router.get("/", response=list[ReportOut])
@paginate(Page)
def list_reports(request, filters: Query[ReportFilterIn]):
    """Laporan yang boleh dilihat pengguna. Filter: ``period`` (TTTT-BB), ``kecamatan``, ``kelurahan``, ``status``."""
    require(request.user, Perm.ACTIVITY_VIEW)
    params = filters.dict()
    if params["period"] and parse_period(params["period"]) is None:
        raise ValidationError({"period": [_("Isi bulan dengan format TTTT-BB, mis. 2026-09.")]})
    qs = report_list(request.user, ReportFilter.from_params(params))
    return LoggedPage(request, qs, _out, unmasked=False)


@router.get("/{report_id}", response=ReportDetailOut)
def get_report(request, report_id: int):
    return _fresh(request, report_id)


@router.post(
    "/",
    response={201: ReportDetailOut},
    openapi_extra=form_body(
        ReportCreateForm,
        {
            "period": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
            "cases_handled": {"description": "diabaikan bila kasus dicatat di Pilar: dihitung dari penugasan kasus"},
        },
    ),
)
def create_report(request, payload: Body[dict[str, Any]]):
    """PSM membuat laporan bulanannya sendiri (draf). Jumlah PPKS diambil dari registri."""
    require(request.user, Perm.ACTIVITY_REPORT)
    worker = Worker.objects.filter(user=request.user).first()
    if worker is None:
        raise PermissionDenied
    form = valid_form(ReportCreateForm, payload)
    report = services.report_create(
        actor=request.user, worker=worker, period=form.cleaned_data["period"], data=form.report_data()
    )
    return Status(201, _fresh(request, report.pk))


@router.put("/{report_id}", response=ReportDetailOut, openapi_extra=form_body(ReportForm))
def update_report(request, report_id: int, payload: Body[dict[str, Any]]):
    """PSM mengubah laporan draf atau yang dikembalikan."""
    report = get_report_for_user(request.user, report_id, Perm.ACTIVITY_REPORT)
    form = valid_form(ReportForm, payload)
    services.report_update(actor=request.user, report=report, data=form.report_data())
    return _fresh(request, report_id)


# submit, accept, return: one endpoint per step of the declaration (``POST /{report_id}/<step>``).
step_routes(
    router,
    REPORT,
    id_param="report_id",
    noun="report",
    load=get_report_for_user,
    detail=_shown,
    response=ReportDetailOut,
    module=__name__,
)


# --- roadshow -------------------------------------------------------------------------------------

roadshow = Router(tags=["laporan kegiatan PSM"])


class RoadshowOut(Schema):
    id: int
    region: str
    region_name: str
    kecamatan: str
    planned_date: date
    done_date: date | None
    status: str
    topic: str

    @staticmethod
    def resolve_region(visit: RoadshowVisit) -> str:
        return visit.region.code

    @staticmethod
    def resolve_region_name(visit: RoadshowVisit) -> str:
        return visit.region.name

    @staticmethod
    def resolve_kecamatan(visit: RoadshowVisit) -> str:
        return visit.kecamatan.code


class CoverageOut(Schema):
    kecamatan: str
    name: str
    villages: int
    visited: int
    planned: int
    not_yet: int
    kecamatan_visits: int


@roadshow.get("/", response=list[RoadshowOut])
@paginate(Page)
def list_roadshow(request, status: str = ""):
    """Jadwal roadshow di wilayah pengguna (Dinsos: seluruh kota); saringan ``status``."""
    require(request.user, Perm.ACTIVITY_VIEW)
    visits = RoadshowVisit.objects.visible_to(request.user).listing().order_by("planned_date", "id")
    if status:
        visits = visits.filter(status=status)
    return visits


@roadshow.get("/coverage", response=list[CoverageOut])
def roadshow_coverage(request):
    """Cakupan kelurahan per kecamatan: sudah dikunjungi, direncanakan, belum."""
    require(request.user, Perm.ACTIVITY_VIEW)
    scope = recap.coverage_scope(request.user)
    return [
        {
            "kecamatan": row.kecamatan.code,
            "name": row.kecamatan.name,
            "villages": len(row.villages),
            "visited": row.visited,
            "planned": row.planned,
            "not_yet": row.not_yet,
            "kecamatan_visits": row.kecamatan_visits,
        }
        for row in recap.coverage(scope)
    ]
