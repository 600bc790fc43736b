"""PSM activity report pages: the list, the phone form, the detail with visits and photos.

Thin views: load through ``selectors`` (404 outside what the user may see, 403 seen but not permitted),
validate with a form, call one service, redirect with a message. The report's steps (submit, accept, return) are
declared in ``workflow.REPORT`` and run by the generic step view (``pilar.core.workflow_views``).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, can, requires, signed_in
from pilar.accounts.visibility import visibility_for
from pilar.activities import selectors, services
from pilar.activities.forms import PhotoForm, ReportCreateForm, ReportForm, VisitForm
from pilar.activities.models import ActivityReport
from pilar.activities.workflow import REPORT
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import history, log_personal_access
from pilar.core.errors import DomainError
from pilar.core.forms import apply_service_errors, perform
from pilar.core.idempotency import idempotent
from pilar.core.listing import list_response, paginate
from pilar.core.uploads import serve_upload, upload_arguments
from pilar.core.workflow_views import step_forms
from pilar.regions.selectors import area_filter_options

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE


def own_worker(user: Any) -> Any:
    """The PSM record of the signed-in user, if any (a report is always the PSM's own)."""
    from pilar.workers.models import Worker

    return Worker.objects.filter(user=user).select_related("person").first()


def _awaiting(user: Any) -> int:
    """How many submitted reports wait for this checker (their own, if any, are someone else's to check)."""
    if not can(user, Perm.ACTIVITY_CHECK):
        return 0
    return ActivityReport.objects.visible_to(user).awaiting_check().exclude(worker__user=user).count()


@login_required
@require_GET
@requires(Perm.ACTIVITY_VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.ReportFilter.from_params(request.GET)
    page = paginate(request, selectors.report_list(request.user, filters), PAGE_SIZE)
    log_personal_access(request, channel=PAGE, model=ActivityReport, count=len(page.object_list))
    context = {
        "filters": filters,
        **area_filter_options(filters.kecamatan),
        "statuses": ActivityReport.Status.choices,
        "may_report": can(request.user, Perm.ACTIVITY_REPORT) and own_worker(request.user) is not None,
        "awaiting": _awaiting(request.user),
    }
    return list_response(request, "activities/list.html", page, context)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
@requires(Perm.ACTIVITY_REPORT)
def report_create(request: HttpRequest) -> HttpResponse:
    worker = own_worker(request.user)
    if worker is None:
        raise PermissionDenied
    this_month = selectors.month_start(timezone.localdate())
    # Usually last month's report; once that one exists, this month's.
    default_period = selectors.previous_month(this_month)
    if ActivityReport.objects.filter(worker=worker, period=default_period).exists():
        default_period = this_month
    form = ReportCreateForm(request.POST or None, initial={"period": default_period})
    report = perform(
        request,
        form,
        lambda: services.report_create(
            actor=signed_in(request), worker=worker, period=form.cleaned_data["period"], data=form.report_data()
        ),
        _("Laporan tersimpan sebagai draf. Tambahkan rincian, lalu ajukan."),
    )
    if report:
        return redirect(report)
    period = (form.cleaned_data.get("period") if form.is_bound else None) or default_period
    counts = _counts(request.user, period)
    context = {"form": form, "worker": worker, "counts": counts, "creating": True}
    return TemplateResponse(request, "activities/form.html", context, status=400 if form.errors else 200)


def _counts(user: Any, period: date) -> dict[str, Any]:
    """What the report takes from the registry (and the case records), shown read-only on the form."""
    return selectors.registry_counts(user, period) | {"cases_handled": selectors.cases_handled(user, period)}


def _author_report(request: HttpRequest, pk: int) -> ActivityReport:
    report = selectors.get_report_for_user(request.user, pk, Perm.ACTIVITY_REPORT)
    if report.worker.user_id != request.user.pk:
        raise PermissionDenied
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _author_report(request, pk)
    if not report.editable:
        messages.error(request, _("Laporan yang sudah diajukan atau diterima tidak dapat diubah."))
        return redirect(report)
    form = ReportForm(request.POST or None, initial={f: getattr(report, f) for f in ReportForm.base_fields})
    if perform(
        request,
        form,
        lambda: services.report_update(actor=signed_in(request), report=report, data=form.report_data()),
        _("Laporan diperbarui."),
    ):
        return redirect(report)
    counts = _counts(request.user, report.period)
    context = {"form": form, "report": report, "worker": report.worker, "counts": counts}
    return TemplateResponse(request, "activities/form.html", context, status=400 if form.errors else 200)


def _event(action: str, at: Any, actor: Any = None, reason: str = "") -> dict[str, Any]:
    return {"label": REPORT.event_label(action), "at": at, "actor": actor, "reason": reason}


def _timeline(report: ActivityReport) -> list[dict[str, Any]]:
    """The report's steps from its audit trail, named by ``REPORT.events`` (edits, visits and photos stay in the
    audit trail); for rows written in bulk (the demo), from its own dates."""
    entries = history(report).filter(action__in=REPORT.events).order_by("created_at", "id")
    steps = [_event(e.action, e.created_at, e.actor, e.data.get("reason", "")) for e in entries]
    if steps:
        return steps
    steps = [_event("activities.report.created", report.created_at)]
    if report.submitted_at:
        steps.append(_event("activities.report.submitted", report.submitted_at))
    if report.decided_at:
        action = "accepted" if report.status == ActivityReport.Status.ACCEPTED else "returned"
        steps.append(_event(f"activities.report.{action}", report.decided_at, report.decided_by, report.return_reason))
    return steps


def detail_page(
    request: HttpRequest, report: ActivityReport, failed: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The report's page; its step forms are those ``REPORT`` offers the user, a failed one in its place."""
    failed = failed or {}
    log_personal_access(request, channel=PAGE, obj=report)
    editable = report.worker.user_id == request.user.pk and report.editable
    forms: dict[str, Form | None] = {
        "visit": VisitForm(auto_id="id_visit_%s") if editable else None,
        "photo": PhotoForm(auto_id="id_photo_%s") if editable else None,
        **failed,
    }
    # The PSM's own words name the people visited: shown as the visibility table shows notes.
    notes_shown = visibility_for(request.user, report).notes_of(None)
    context = {
        "report": report,
        "notes_shown": notes_shown,
        "visits": report.visit_entries.all(),
        "photos": report.photos.all() if notes_shown else report.photos.none(),
        "editable": editable,
        "forms": forms,
        "steps": step_forms(REPORT, "activities", request.user, report, failed),
        "timeline": _timeline(report),
    }
    return TemplateResponse(request, "activities/detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, selectors.get_report_for_user(request.user, pk))


def _run(
    request: HttpRequest,
    report: ActivityReport,
    call: Callable[[], object],
    done: str,
    form: Form | None = None,
    name: str = "",
) -> HttpResponse:
    """Call one service (once ``form``, if any, is valid); a rule it refuses comes back on the form, a status
    conflict as a message."""
    if form is not None and not form.is_valid():
        return detail_page(request, report, {name: form}, 400)
    try:
        call()
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return redirect(report)
        apply_service_errors(form, exc)
        return detail_page(request, report, {name: form}, 400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(report)
    messages.success(request, done)
    return redirect(report)


@login_required
@require_POST
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _author_report(request, pk)
    form = VisitForm(request.POST, auto_id="id_visit_%s")
    return _run(
        request,
        report,
        lambda: services.report_add_visit(actor=signed_in(request), report=report, **form.cleaned_data),
        _("Kunjungan ditambahkan."),
        form,
        "visit",
    )


@login_required
@require_POST
def visit_remove(request: HttpRequest, pk: int, visit_id: int) -> HttpResponse:
    report = _author_report(request, pk)
    return _run(
        request,
        report,
        lambda: services.report_remove_visit(actor=signed_in(request), report=report, visit_id=visit_id),
        _("Kunjungan dihapus."),
    )


@login_required
@require_POST
@idempotent
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _author_report(request, pk)
    form = PhotoForm(request.POST, request.FILES, auto_id="id_photo_%s")
    return _run(
        request,
        report,
        lambda: services.report_add_photo(
            actor=signed_in(request), report=report, **upload_arguments(form.cleaned_data)
        ),
        _("Foto ditambahkan."),
        form,
        "photo",
    )


@login_required
@require_POST
def photo_remove(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    report = _author_report(request, pk)
    return _run(
        request,
        report,
        lambda: services.report_remove_photo(actor=signed_in(request), report=report, photo_id=photo_id),
        _("Foto dihapus."),
    )


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """The photo, only to those who may see the report (the media folder itself is not served)."""
    report = selectors.get_report_for_user(request.user, pk)
    if not visibility_for(request.user, report).notes_of(None):
        raise PermissionDenied  # a photo may show the people visited: the same rule as the notes
    photo = get_object_or_404(report.photos, pk=photo_id)
    log_personal_access(request, channel=PAGE, obj=report)
    return serve_upload(photo.file.open("rb"), photo.content_type, f"kegiatan-{report.pk}-{photo.pk}")
