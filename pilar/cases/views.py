"""Case pages: list, detail with timeline and the steps on offer, opening a case, overviews.

Thin views: load through ``access.get_case_for_user`` (404 outside the user's scope, 403 without the
permission), validate with a form, call one service, redirect with a message.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.cases import access, selectors, services
from pilar.cases.forms import CaseOpenForm
from pilar.cases.models import OPEN_STAGES, Case, CaseDocument, Plan, RiskLevel, Stage, Transfer
from pilar.cases.reference import stage_limits
from pilar.cases.workflow import CASE, PLAN, TRANSFER
from pilar.core.forms import perform
from pilar.core.listing import list_response, paginate
from pilar.core.uploads import serve_upload
from pilar.core.workflow_views import step_forms
from pilar.regions.selectors import area_filter_options

PAGE = PersonalDataAccess.Channel.PAGE
PAGE_SIZE = 25


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CASE_VIEW)
    filters = selectors.CaseFilter.from_params(request.GET)
    cases = selectors.case_list(request.user, filters).prefetch_related("assigned")
    page = paginate(request, cases, PAGE_SIZE)
    limits = stage_limits()
    rows = [{"case": c, "overdue": selectors.is_overdue(c, limits), "due": selectors.due_at(c, limits)} for c in page]
    log_personal_access(request, channel=PAGE, model=Case, count=len(rows))
    context = {
        "rows": rows,
        "filters": filters,
        **area_filter_options(filters.kecamatan),
        "stages": Stage.choices,
        "risks": RiskLevel.choices,
    }
    return list_response(request, "cases/list.html", page, context)


def detail_page(
    request: HttpRequest, case: Case, failed: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The case's page; its action forms are the steps ``CASE`` offers the user, the decision on a pending plan
    (``PLAN``) and the answer to a handover addressed to them (``TRANSFER``), ``failed`` in place."""
    user = request.user
    failed = failed or {}
    view = access.case_view(user, case)
    log_personal_access(request, channel=PAGE, obj=case, unmasked=view.unmasked)
    items, confidential_shown = selectors.timeline(user, case)
    if confidential_shown:
        access.log_confidential_view(request, case)
    for item in items:
        if item["kind"] == "event":
            item["label"] = CASE.event_label(item["obj"].action)
    steps = step_forms(CASE, "cases", user, case, failed)
    plan = _pending_plan(case)
    plan_steps = step_forms(PLAN, "cases", user, plan, failed, name_prefix="plan_")
    pending = case.transfers.filter(status=Transfer.Status.PENDING).select_related("to_user", "requested_by").first()
    transfer = pending if pending and pending.to_user_id == user.pk else None
    context = {
        "case": case,
        "nik": view.nik(case.person.nik) if case.person is not None else None,
        "shown": view.show(name=case.subject_label, address=case.address) | {"reporter": view.name(case.reporter_name)},
        "notes_shown": view.notes_of(case.category.code if case.category is not None else None),
        "assigned": case.assignments.select_related("user"),
        "timeline": items,
        "steps": steps,
        "forms": {item.step.name: item.form for item in steps},
        "plan_steps": plan_steps,
        "decide_plan": plan if plan_steps else None,  # the pending plan, when the user may decide it
        "transfer_steps": step_forms(TRANSFER, "cases", user, transfer, failed, name_prefix="transfer_"),
        "due": selectors.due_at(case),
        "overdue": selectors.is_overdue(case),
        "latest_assessment": case.assessments.first(),
        "plans": case.plans.select_related("author", "decided_by"),
        "transfer": transfer,
        # Referrals are the referrals app's; the case page only links to its form.
        "may_refer": case.is_open and can(user, Perm.REFERRAL_SEND, case),
        "pending_transfer": pending,
    }
    return TemplateResponse(request, "cases/detail.html", context, status=status)


def _pending_plan(case: Case) -> Plan | None:
    return case.plans.filter(status=Plan.Status.PENDING).select_related("case").first()


def plan_page(request: HttpRequest, plan: Plan, failed: dict[str, Form], status: int) -> HttpResponse:
    return detail_page(request, access.get_case_for_user(request.user, plan.case_id), failed, status)


def transfer_page(request: HttpRequest, transfer: Transfer, failed: dict[str, Form], status: int) -> HttpResponse:
    return detail_page(request, access.get_case_for_user(request.user, transfer.case_id), failed, status)


def load_plan(user: Any, pk: int) -> Plan:
    """A plan of a case the user may see (404 otherwise)."""
    return get_object_or_404(Plan.objects.filter(case__in=Case.objects.visible_to(user)).select_related("case"), pk=pk)


def load_transfer(user: Any, pk: int) -> Transfer:
    """A handover of a case the user may see (404 otherwise)."""
    return get_object_or_404(Transfer.objects.filter(case__in=Case.objects.visible_to(user)), pk=pk)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, access.get_case_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CASE_MANAGE)
    # Opened from a person's registry page: ``?person=<id>`` fills the subject in.
    initial = {"person": request.GET["person"]} if request.GET.get("person", "").isdigit() else {}
    form = CaseOpenForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    case = perform(
        request,
        form,
        lambda: services.case_open(actor=signed_in(request), **form.cleaned_data),
        lambda case: _("Kasus %(ref)s tercatat.") % {"ref": case.reference},
    )
    if case:
        return redirect(case)
    return TemplateResponse(request, "cases/create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A case's photo or document, served only to those who may see the case (never a public media URL)."""
    document = get_object_or_404(CaseDocument.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk)
    case = document.case
    if not access.case_view(request.user, case).notes_of(case.category.code if case.category is not None else None):
        raise PermissionDenied
    log_personal_access(request, channel=PAGE, obj=document.case)
    return serve_upload(document.file.open("rb"), document.content_type, f"kasus-{case.pk}-{document.pk}")


@login_required
@require_GET
def overdue_overview(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CASE_VIEW)
    limits = stage_limits()  # read once for the three lists below
    mine = selectors.case_list(request.user, selectors.CaseFilter(overdue="1", mine="1"), limits)[:50]
    context = {
        "by_worker": selectors.overdue_by_worker(request.user, limits),
        "by_kecamatan": selectors.overdue_by_kecamatan(request.user, limits),
        "mine": [{"case": c, "due": selectors.due_at(c, limits)} for c in mine],
    }
    return TemplateResponse(request, "cases/overdue.html", context)


@login_required
@require_GET
def counts_overview(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CASE_VIEW)
    context = {"counts": selectors.counts(request.user), "stages": [(s, Stage(s).label) for s in OPEN_STAGES]}
    return TemplateResponse(request, "cases/counts.html", context)
