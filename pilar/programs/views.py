"""Program pages: the programs (who qualifies, how to apply, printable), enrollments and their workflow.

Thin views: load through ``selectors`` (outside the user's scope 404, seen without the permission 403),
validate with a form from ``forms``, call one service, redirect with a message.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.forms import perform
from pilar.core.listing import list_response, paginate
from pilar.core.workflow_views import step_forms
from pilar.programs import eligibility, periods, selectors, services
from pilar.programs.forms import ProposeForm
from pilar.programs.models import Enrollment, EnrollmentStatus, Program, ProgramPeriod
from pilar.programs.workflow import ENROLLMENT
from pilar.regions.selectors import area_filter_options

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE
S = EnrollmentStatus


# --- programs -----------------------------------------------------------------------------------


def _program_context(request: HttpRequest, code: str) -> dict[str, Any]:
    program = selectors.get_program(request.user, code)
    period = ProgramPeriod.objects.filter(
        program=program, key=periods.period_key(program, timezone.localdate())
    ).first()
    return {"program": program, "period": period, "taken": periods.quota_taken(period) if period else 0}


@login_required
@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PROGRAM_VIEW)
    return TemplateResponse(request, "programs/program_list.html", {"programs": selectors.programs()})


@login_required
@require_GET
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    return TemplateResponse(request, "programs/program_detail.html", _program_context(request, code))


@login_required
@require_GET
def program_print(request: HttpRequest, code: str) -> HttpResponse:
    """One sheet a PSM can print and hand to residents."""
    return TemplateResponse(request, "programs/program_print.html", _program_context(request, code))


# --- enrollment list ----------------------------------------------------------------------------


@login_required
@require_GET
def enrollment_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.ENROLLMENT_VIEW)
    filters = selectors.EnrollmentFilter.from_params(request.GET)
    page = paginate(request, selectors.enrollment_list(request.user, filters), PAGE_SIZE)
    rows = [
        {
            "e": e,
            "name": selectors.shown_subject_name(request.user, e),
            "nik": selectors.shown_subject_nik(request.user, e),
        }
        for e in page
    ]
    log_personal_access(
        request,
        channel=PAGE,
        model=Enrollment,
        count=len(rows),
        unmasked=bool(rows) and visibility_for(request.user).unmasked,
    )
    context = {
        "rows": rows,
        "filters": filters,
        "programs": Program.objects.order_by("name"),
        "statuses": EnrollmentStatus.choices,
        **area_filter_options(filters.kecamatan),
    }
    return list_response(request, "programs/enrollment_list.html", page, context)


# --- enrollment detail and its workflow ---------------------------------------------------------


def detail_page(
    request: HttpRequest, enrollment: Enrollment, failed: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The enrollment's page; its action forms are the steps ``ENROLLMENT`` offers the user (``failed`` in place)."""
    user = request.user
    log_personal_access(request, channel=PAGE, obj=enrollment, unmasked=visibility_for(user, enrollment).unmasked)
    labels = dict(EnrollmentStatus.choices)
    timeline = [
        {"e": e, "label": ENROLLMENT.event_label(e.action), "to": labels.get(e.to_status, e.to_status)}
        for e in enrollment.events.select_related("actor")
    ]
    house = getattr(enrollment, "house", None) if enrollment.program.kind == Program.Kind.HOUSE else None
    steps = step_forms(ENROLLMENT, "programs", user, enrollment, failed or {}, name_prefix="enrollment_")
    context = {
        "enrollment": enrollment,
        "subject": selectors.subject_of(enrollment),
        "subject_name": selectors.shown_subject_name(user, enrollment),
        "nik": selectors.shown_subject_nik(user, enrollment),
        "timeline": timeline,
        "steps": steps,
        "house": house,
        "may_assess": house is None
        and enrollment.program.kind == Program.Kind.HOUSE
        and enrollment.status == S.PROPOSED
        and can(user, Perm.HOUSE_ASSESS, enrollment),
    }
    return TemplateResponse(request, "programs/enrollment_detail.html", context, status=status)


@login_required
@require_GET
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, selectors.get_enrollment_for_user(request.user, pk))


# --- proposal: find the registry record, see which programs it qualifies for, propose ---------------


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_propose(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.ENROLLMENT_PROPOSE)
    record_pk = request.GET.get("record", "")
    if not record_pk:
        q = request.GET.get("q", "").strip()
        found = list(selectors.records_to_propose(request.user, q)[:20]) if q else []
        if found:
            log_personal_access(request, channel=PAGE, model=found[0].__class__, count=len(found))
        rows = [{"r": r, "subject": eligibility.subject_person(r)} for r in found]
        return TemplateResponse(request, "programs/propose_find.html", {"q": q, "rows": rows})
    record = selectors.record_for_user(request.user, record_pk)
    log_personal_access(request, channel=PAGE, obj=record)
    initial = {"record": record.pk, "program": request.GET.get("program", "")}
    form = ProposeForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["record"].pk != record.pk:
        raise PermissionDenied  # the record is the one in the address
    enrollment = perform(
        request,
        form,
        lambda: services.enrollment_propose(actor=signed_in(request), **form.service_kwargs()),
        _("Usulan penerima program tersimpan dan menunggu keputusan Dinas Sosial."),
    )
    if enrollment:
        return redirect(enrollment)
    today = timezone.localdate()
    checks = []
    for program in selectors.programs():
        results = eligibility.evaluate(program, record, on=today)
        checks.append({"program": program, "checks": results, "ok": all(c.ok for c in results)})
    context = {"record": record, "subject": eligibility.subject_person(record), "form": form, "programs": checks}
    return TemplateResponse(request, "programs/propose.html", context, status=400 if form.errors else 200)
