"""Case pages: list, detail with timeline and the steps on offer, opening a case, overviews.

Thin views: load through ``access.get_case_for_user`` (404 outside the user's scope, 403 without the
permission), validate with a form, call one service, redirect with a message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, can
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.cases import access, selectors, services
from pilar.cases.actions import ACTIONS, offered_forms, plan_decision_offered, transfer_for
from pilar.cases.forms import CaseOpenForm, DecisionForm, ReturnForm, TransferDeclineForm
from pilar.cases.models import OPEN_STAGES, Case, CaseDocument, Plan, RiskLevel, Stage, Transfer
from pilar.cases.reference import stage_limits
from pilar.core.errors import DomainError
from pilar.core.forms import apply_service_errors
from pilar.core.paging import DeferredJoinPaginator, page_links
from pilar.core.uploads import serve_upload
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan

PAGE = PersonalDataAccess.Channel.PAGE
PAGE_SIZE = 25


def _require(user: Any, perm: Perm) -> None:
    if not can(user, perm):
        raise PermissionDenied


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.CASE_VIEW)
    filters = selectors.CaseFilter.from_params(request.GET)
    if filters.kelurahan and filters.kecamatan and not filters.kelurahan.startswith(filters.kecamatan + "."):
        filters = selectors.CaseFilter(**{**filters.__dict__, "kelurahan": ""})
    cases = selectors.case_list(request.user, filters).prefetch_related("assigned")
    page = DeferredJoinPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    limits = stage_limits()
    rows = [{"case": c, "overdue": selectors.is_overdue(c, limits), "due": selectors.due_at(c, limits)} for c in page]
    log_personal_access(request, channel=PAGE, model=Case, count=len(rows))
    context = {
        "page": page,
        "page_range": page_links(page),
        "rows": rows,
        "filters": filters,
        "kecamatan_options": city_kecamatan(),
        "village_options": Region.objects.villages().filter(parent__code=filters.kecamatan)
        if filters.kecamatan
        else Region.objects.none(),
        "stages": Stage.choices,
        "risks": RiskLevel.choices,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return TemplateResponse(request, "cases/list.html#results" if partial else "cases/list.html", context)


def detail_page(
    request: HttpRequest, case: Case, failed: Form | None = None, name: str = "", status: int | None = None
) -> HttpResponse:
    user = request.user
    view = access.case_view(user, case)
    log_personal_access(request, channel=PAGE, obj=case, unmasked=view.unmasked)
    items, confidential_shown = selectors.timeline(user, case)
    if confidential_shown:
        access.log_confidential_view(request, case)
    forms = offered_forms(user, case)
    if failed is not None:
        forms[name] = failed
    plan = plan_decision_offered(user, case)
    transfer = transfer_for(user, case)
    context = {
        "case": case,
        "nik": view.nik(case.person.nik) if case.person_id else None,
        "shown": view.show(name=case.subject_label, address=case.address) | {"reporter": view.name(case.reporter_name)},
        "notes_shown": view.notes_of(case.category.code if case.category_id else None),
        "assigned": case.assignments.select_related("user"),
        "timeline": items,
        "forms": forms,
        "due": selectors.due_at(case),
        "overdue": selectors.is_overdue(case),
        "latest_assessment": case.assessments.first(),
        "plans": case.plans.select_related("author", "decided_by"),
        "decide_plan": plan,
        "approve_form": DecisionForm(auto_id="id_approve_%s") if plan else None,
        "return_form": ReturnForm(auto_id="id_return_%s") if plan else None,
        "transfer": transfer,
        "decline_form": TransferDeclineForm(auto_id="id_decline_%s") if transfer else None,
        # Referrals are the referrals app's; the case page only links to its form.
        "may_refer": case.is_open and can(user, Perm.REFERRAL_SEND, case),
        "pending_transfer": case.transfers.filter(status=Transfer.Status.PENDING).select_related("to_user").first(),
    }
    if failed is not None and name in ("approve", "return", "decline"):
        context[f"{name}_form"] = failed
    status = status or (400 if failed is not None else 200)
    return TemplateResponse(request, "cases/detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, access.get_case_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.CASE_MANAGE)
    # Opened from a person's registry page: ``?person=<id>`` fills the subject in.
    initial = {"person": request.GET["person"]} if request.GET.get("person", "").isdigit() else {}
    form = CaseOpenForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Kasus %(ref)s tercatat.") % {"ref": case.reference})
            return redirect(case)
    return TemplateResponse(request, "cases/create.html", {"form": form}, status=400 if form.errors else 200)


def _run(request: HttpRequest, case: Case, form: Form, name: str, call, done: str) -> HttpResponse:
    if form.is_valid():
        try:
            call(form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except DomainError as exc:
            # A rule of the workflow, not an input mistake: said on top of the page, whichever form was used.
            messages.error(request, exc.message)
            return detail_page(request, access.get_case_for_user(request.user, case.pk), status=409)
        else:
            messages.success(request, done)
            return redirect(case)
    return detail_page(request, access.get_case_for_user(request.user, case.pk), form, name)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    action = ACTIONS[name]
    case = access.get_case_for_user(request.user, pk, action.perm)  # 404 outside the scope, 403 without perm
    form = action.bound(case, request.user, request.POST, request.FILES)
    return _run(request, case, form, name, lambda f: action.call(case, request.user, f), action.done)


@login_required
@require_POST
def plan_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk)
    case = access.get_case_for_user(request.user, plan.case_id, Perm.CASE_APPROVE_PLAN)
    if decision == "approve":
        form = DecisionForm(request.POST, auto_id="id_approve_%s")
        call, done = (lambda f: services.case_plan_approve(actor=request.user, plan=plan, **f.cleaned_data),
                      _("Rencana intervensi disetujui."))  # fmt: skip
    else:
        form = ReturnForm(request.POST, auto_id="id_return_%s")
        call, done = (lambda f: services.case_plan_return(actor=request.user, plan=plan, **f.cleaned_data),
                      _("Rencana intervensi dikembalikan."))  # fmt: skip
    return _run(request, case, form, decision, call, done)


@login_required
@require_POST
def transfer_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    transfer = get_object_or_404(Transfer.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk)
    case = access.get_case_for_user(request.user, transfer.case_id)
    if transfer.to_user_id != request.user.pk:
        raise PermissionDenied
    if decision == "accept":
        form = Form(request.POST)
        call, done = (lambda f: services.case_transfer_accept(actor=request.user, transfer=transfer),
                      _("Serah terima diterima; kasus kini Anda tangani."))  # fmt: skip
    else:
        form = TransferDeclineForm(request.POST, auto_id="id_decline_%s")
        call, done = (lambda f: services.case_transfer_decline(actor=request.user, transfer=transfer, **f.cleaned_data),
                      _("Serah terima ditolak."))  # fmt: skip
    return _run(request, case, form, decision if decision == "decline" else "", call, done)


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A case's photo or document, served only to those who may see the case (never a public media URL)."""
    document = get_object_or_404(CaseDocument.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk)
    case = document.case
    if not access.case_view(request.user, case).notes_of(case.category.code if case.category_id else None):
        raise PermissionDenied
    log_personal_access(request, channel=PAGE, obj=document.case)
    return serve_upload(document.file.open("rb"), document.content_type, f"kasus-{case.pk}-{document.pk}")


@login_required
@require_GET
def overdue_overview(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.CASE_VIEW)
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
    _require(request.user, Perm.CASE_VIEW)
    context = {"counts": selectors.counts(request.user), "stages": [(s, Stage(s).label) for s in OPEN_STAGES]}
    return TemplateResponse(request, "cases/counts.html", context)
