"""``/api/v1/reports``: the archive of official reports, making one, and its stored PDF and XLSX.

Only city-wide roles see the archive (403 for the list, 404 for one report otherwise); making one needs
``reports.generate``. A bad ``kind`` or ``period`` answers 400 with the message on the field.
"""

from datetime import datetime
from typing import Any

from django.http import HttpResponse
from ninja import Body, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, require
from pilar.api.form_schema import form_body, valid_form
from pilar.api.pagination import Page
from pilar.reports import services
from pilar.reports.archive import CONTENT, ReportForm, get_report_for_user, report_file, report_list
from pilar.reports.models import ReportKind, ReportSnapshot

router = Router(tags=["laporan resmi"])

BODY = form_body(ReportForm)
BODY["requestBody"]["content"]["application/json"]["schema"]["properties"]["period"]["pattern"] = r"^\d{4}(-\d{2})?$"


def _file(fmt: str) -> dict[str, Any]:
    content = {CONTENT[fmt]: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {"200": {"description": f"Berkas {fmt.upper()} seperti saat dibuat", "content": content}}}


class ReportOut(Schema):
    id: int
    kind: str
    kind_label: str
    period: str
    created_at: datetime
    created_by: str | None
    automatic: bool
    checksum: str  # SHA-256 of the PDF
    xlsx_checksum: str


def _out(r: ReportSnapshot) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_label": str(ReportKind(r.kind).label),
        "period": r.period,
        "created_at": r.created_at,
        "created_by": r.created_by.get_username() if r.created_by else None,
        "automatic": r.automatic,
        "checksum": r.checksum,
        "xlsx_checksum": r.xlsx_checksum,
    }


@router.get("/", response=list[ReportOut], url_name="reports")
@paginate(Page)
def list_reports(request):
    """Arsip laporan resmi, terbaru dahulu (``checksum``: SHA-256 berkas PDF)."""
    require(request.user, Perm.REPORT_VIEW)
    return [_out(r) for r in report_list(request.user)]


@router.post("/", response={201: ReportOut}, openapi_extra=BODY)
def generate_report(request, payload: Body[dict[str, Any]]):
    """Buat laporan ``kind`` (ppks, psm_tksk, program, kasus, insentif) untuk ``period`` (2026-11 atau 2026)."""
    require(request.user, Perm.REPORT_GENERATE)
    form = valid_form(ReportForm, payload)
    return Status(201, _out(services.report_generate(actor=request.user, **form.cleaned_data)))


@router.get("/{snapshot_id}/pdf", response={200: None}, openapi_extra=_file("pdf"), url_name="report_pdf")
def report_pdf(request, snapshot_id: int) -> HttpResponse:
    """PDF laporan, sama persis dengan saat dibuat (header ``X-Checksum-SHA256``)."""
    return report_file(get_report_for_user(request.user, snapshot_id), "pdf")


@router.get("/{snapshot_id}/xlsx", response={200: None}, openapi_extra=_file("xlsx"), url_name="report_xlsx")
def report_xlsx(request, snapshot_id: int) -> HttpResponse:
    """XLSX laporan, sama persis dengan saat dibuat (header ``X-Checksum-SHA256``)."""
    return report_file(get_report_for_user(request.user, snapshot_id), "xlsx")
