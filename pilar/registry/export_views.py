"""Exports of the filtered PPKS list: streamed when small, a background job with a status page when big."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.uploads import serve_upload
from pilar.registry import export_jobs, exports, selectors
from pilar.registry.export_models import ExportJob
from pilar.registry.models import PpksRecord


@login_required
@require_GET
def ppks_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV or XLSX in Pilar's or the BNBA layout: streamed up to the threshold, else a job."""
    require(request.user, Perm.REGISTRY_EXPORT)
    kind, layout = request.GET.get("format", "csv"), request.GET.get("layout", "pilar")
    if kind not in exports.WRITERS or layout not in ExportJob.Layout.values:
        return HttpResponseBadRequest(_("Format ekspor tidak dikenal."))
    answer = export_or_job(request, selectors.PpksFilter.from_params(request.GET), kind, layout)
    if isinstance(answer, ExportJob):
        messages.info(request, _("Ekspor besar ditulis di latar belakang; Anda diberi tahu bila siap diunduh."))
        return redirect("registry:export_detail", pk=answer.pk)
    return answer


def export_or_job(
    request: HttpRequest, filters: selectors.PpksFilter, kind: str, layout: str
) -> HttpResponseBase | ExportJob:
    """The user's filtered list as a file, streamed and logged as a personal-data export, up to the threshold;
    beyond it the background job started for it (page and API alike)."""
    records = selectors.ppks_list(request.user, filters)
    count = records.count()
    if not export_jobs.streams(count):
        return export_jobs.export_start(
            actor=signed_in(request), filters=filters, kind=kind, layout=layout, total=count
        )
    log_personal_access(
        request,
        channel=PersonalDataAccess.Channel.EXPORT,
        model=PpksRecord,
        count=count,
        unmasked=visibility_for(request.user).unmasked,
    )
    return exports.WRITERS[kind](records, request.user, layout)


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = export_jobs.export_for_user(signed_in(request), pk)
    running = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    # While it runs, the progress block polls itself (htmx) and stops once the job is done.
    partial = getattr(request, "htmx", False)  # set by django-htmx's middleware
    template = "registry/export_detail.html#progress" if partial else "registry/export_detail.html"
    return TemplateResponse(request, template, {"job": job, "running": running})


@login_required
@require_GET
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    return export_file_response(request, pk)


def export_file_response(request: HttpRequest, pk: int) -> HttpResponse:
    """A finished export's file for its owner, logged as a personal-data export (page and API alike); 404 while
    it is not done or for anyone else's."""
    require(request.user, Perm.REGISTRY_EXPORT)  # a role taken away since the export started takes the file away too
    job = export_jobs.export_for_user(signed_in(request), pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    log_personal_access(
        request,
        channel=PersonalDataAccess.Channel.EXPORT,
        model=PpksRecord,
        count=job.done_rows,
        unmasked=visibility_for(request.user).unmasked,
    )
    response = serve_upload(
        job.file.open("rb"), exports.CONTENT_TYPES[job.format], exports.filename(job.format, job.layout)
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(job.format, job.layout)}"'
    return response
