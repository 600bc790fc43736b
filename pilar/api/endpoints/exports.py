"""``GET /api/v1/ppks/export``: the filtered PPKS list as a file; big exports as jobs under ``/api/v1/exports``.

Up to ``PILAR_EXPORT_STREAM_MAX_ROWS`` rows the file streams in the answer (200). Above, the answer is 202
with the job's id and its status URL; the task worker writes the file and ``/api/v1/exports/<id>/file``
hands it over once ``status`` is ``selesai``. Columns and masking follow the field-visibility table, as on
the page; a job and its file belong to the user who started it (404 for anyone else).
"""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Query, Router, Schema, Status

from pilar.accounts.permissions import Perm, require
from pilar.api.endpoints.ppks import PpksFilterIn
from pilar.registry import export_jobs, selectors
from pilar.registry.export_models import ExportJob
from pilar.registry.export_views import export_file_response, export_or_job

ppks_export = Router(tags=["registri sosial"])
router = Router(tags=["registri sosial"])


class ExportIn(PpksFilterIn):
    format: Literal["csv", "xlsx"] = "csv"
    layout: Literal["pilar", "dtks"] = "pilar"


class ExportOut(Schema):
    id: int
    status: str
    format: str
    layout: str
    total_rows: int
    done_rows: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    url: str
    file: str | None


def _out(job: ExportJob) -> dict:
    done = job.status == ExportJob.Status.DONE and bool(job.file)
    return {
        **{field: getattr(job, field) for field in ("id", "status", "format", "layout", "total_rows", "done_rows")},
        **{"message": job.message, "created_at": job.created_at, "finished_at": job.finished_at},
        "url": reverse("api-v1:export_status", args=[job.pk]),
        "file": reverse("api-v1:export_file", args=[job.pk]) if done else None,
    }


@ppks_export.get("/export", response={200: None, 202: ExportOut}, url_name="ppks_export")
def export_ppks(request, params: Query[ExportIn]):
    """Ekspor data PPKS (filter sama dengan daftar). ``format``: ``csv``/``xlsx``; ``layout``: ``pilar`` atau
    ``dtks`` (kolom BNBA Kemensos). Sampai ``PILAR_EXPORT_STREAM_MAX_ROWS`` baris berkas langsung dikirim (200);
    lebih dari itu 202 dengan id pekerjaan ekspor: pantau ``/api/v1/exports/<id>``, unduh dari ``file``."""
    require(request.user, Perm.REGISTRY_EXPORT)
    values = params.dict()
    kind, layout = values.pop("format"), values.pop("layout")
    answer = export_or_job(request, selectors.PpksFilter(**values), kind, layout)
    return Status(202, _out(answer)) if isinstance(answer, ExportJob) else answer


@router.get("/{export_id}", response=ExportOut, url_name="export_status")
def export_status(request, export_id: int):
    """Status dan kemajuan satu ekspor milik pengguna."""
    return _out(export_jobs.export_for_user(request.user, export_id))


@router.get("/{export_id}/file", response={200: None}, url_name="export_file")
def export_file(request, export_id: int):
    """Berkas ekspor yang sudah selesai (404 bila belum selesai atau bukan milik pengguna)."""
    return export_file_response(request, export_id)
