"""Registry imports and exports in the pages: upload with progress, the error file, the template, and
the filtered list as CSV/XLSX. Thin: the importer, the task and the export writers do the work."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.core.access import get_for_user
from pilar.core.forms import form_arguments
from pilar.core.htmx import htmx_of
from pilar.core.listing import paginate
from pilar.core.sheets import FileError
from pilar.core.workflow_views import step_forms
from pilar.registry import selectors
from pilar.registry.forms import ImportForm
from pilar.registry.importer import mapping
from pilar.registry.importer.columns import HeaderError
from pilar.registry.importer.services import import_jobs_fail_gone
from pilar.registry.importer.template import template_csv, template_xlsx
from pilar.registry.models import ImportJob
from pilar.registry.tasks import import_confirm, import_start, local_copy
from pilar.registry.workflow import IMPORT

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REGISTRY_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_start(actor=signed_in(request), **form_arguments(form.cleaned_data, {"file": "uploaded_file"}))
        if job.status == ImportJob.Status.DRAFT:
            return redirect("registry:import_mapping", pk=job.pk)
        # The progress card says whether it is still running: a flash saying so would outlive the job.
        messages.success(request, _("Berkas diterima."))
        return redirect("registry:import_detail", pk=job.pk)
    import_jobs_fail_gone()
    page = paginate(request, selectors.import_jobs_for(request.user), 20, deferred=False)
    status = 400 if form.errors else 200
    context = {"form": form, "page": page, "profiles": mapping.all_profiles()}
    return TemplateResponse(request, "registry/imports/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview before anything is written: the first rows as read and each column's field, changeable;
    the mapping may be saved as a named profile; confirming queues the import."""
    require(request.user, Perm.REGISTRY_IMPORT)
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    if job.status != ImportJob.Status.DRAFT:
        return redirect("registry:import_detail", pk=job.pk)
    name = (request.POST.get("profile") if request.method == "POST" else request.GET.get("profile")) or job.profile
    profile = mapping.profile_named(name) if name else None
    context: dict[str, Any] = {
        "job": job,
        "profiles": mapping.all_profiles(),
        "profile": profile,
        "fields": list(mapping.FIELD_LABELS.items()),
        "problems": [],
    }
    try:
        with local_copy(job) as path:
            preview = mapping.preview(path, profile)
    except (FileError, HeaderError) as exc:
        context["problems"] = [exc.message]
        return TemplateResponse(request, "registry/imports/mapping.html", context, status=400)
    context["preview"] = preview
    if request.method == "POST" and "confirm" in request.POST:
        chosen = {
            i: value
            for i in range(len(preview.titles))
            if (value := request.POST.get(f"col_{i}", "")) in mapping.FIELD_LABELS
        }
        preview.chosen = chosen
        problems = mapping.check_choice(chosen, preview.titles, profile.defaults if profile else None)
        saved = (request.POST.get("profile_name") or "").strip()
        if not problems and saved:
            try:
                mapping.import_profile_save(
                    name=saved, mapping=mapping.mapping_of(chosen, preview.titles), actor=signed_in(request)
                )
            except ValidationError as exc:
                problems = exc.messages
        if not problems:
            columns = {field: index for index, field in chosen.items()}
            import_confirm(job=job, actor=signed_in(request), columns=columns, profile=profile.name if profile else "")
            if saved:
                messages.success(request, _("Profil pemetaan %(name)s disimpan.") % {"name": saved})
            messages.success(request, _("Pemetaan kolom dikonfirmasi; berkas sedang diproses."))
            return redirect("registry:import_detail", pk=job.pk)
        context["problems"] = problems
        return TemplateResponse(request, "registry/imports/mapping.html", context, status=400)
    return TemplateResponse(request, "registry/imports/mapping.html", context)


def detail_page(request: HttpRequest, job: ImportJob, failed: dict[str, Form] | None = None, status: int = 200):
    """The import's progress and outcome, with the steps ``IMPORT`` offers (retrying a failed one)."""
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    percent = int(100 * job.done_rows / job.total_rows) if job.total_rows else 0
    steps = step_forms(IMPORT, "registry", request.user, job, failed or {}, name_prefix="import_")
    context = {"job": job, "running": running, "percent": percent, "steps": steps}
    # While it runs, the progress block polls itself (htmx) and stops once the job is done.
    template = "registry/imports/detail.html#progress" if htmx_of(request) else "registry/imports/detail.html"
    return TemplateResponse(request, template, context, status=status)


def get_import_for_user(user: Any, pk: int) -> ImportJob:
    return get_for_user(selectors.import_jobs_for(user), user, pk)


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    import_jobs_fail_gone()
    return detail_page(request, get_import_for_user(request.user, pk))


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    if not job.error_file:
        raise Http404
    name = f"{job.file_name.rsplit('.', 1)[0]}-kesalahan.csv"
    return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=name, content_type="text/csv")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PPKS_VIEW)
    if request.GET.get("format") == "xlsx":
        body, kind, name = template_xlsx(), XLSX_TYPE, "templat-impor-ppks.xlsx"
    else:
        body, kind, name = template_csv(), "text/csv; charset=utf-8", "templat-impor-ppks.csv"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
