"""Payroll run pages: list and generate, detail, files; and the PSM's own payslips. Approving and discarding
are the steps of ``workflow.PAYROLL``, run by the generic step view (``pilar.core.workflow_views``).

Thin views: selectors load (404 for anyone who may not see payroll), a form validates, one service
acts. The maker-checker rule and the lock live in ``services``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.forms import perform
from pilar.core.listing import paginate
from pilar.core.workflow_views import step_forms
from pilar.incentives import exports, pdf, selectors, services
from pilar.incentives.eligibility import bulan_tahun
from pilar.incentives.forms import GenerateForm
from pilar.incentives.models import PayrollLine, PayrollRun
from pilar.incentives.workflow import PAYROLL

T = TypeVar("T")
PAGE_SIZE = 50
PAGE = PersonalDataAccess.Channel.PAGE


def posted(
    request: HttpRequest, form: Form, perm: Perm, service: Callable[..., T], success: str | Callable[[T], str]
) -> T | None:
    """The form of a payroll page that also lists (runs, rates, corrections): seeing the page needs only
    ``PAYROLL_VIEW``, posting it ``perm`` (403). On a POST, ``perform`` the service with the form's fields as its
    keywords; what it made, or None (not a POST, or the form shown again with its errors)."""
    if request.method != "POST":
        return None
    require(request.user, perm)
    return perform(request, form, lambda: service(actor=signed_in(request), **form.cleaned_data), success)


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PAYROLL_VIEW)
    form = GenerateForm(request.POST or None)
    run = posted(
        request,
        form,
        Perm.PAYROLL_GENERATE,
        services.payroll_generate,
        lambda run: (
            _(
                "Penggajian %(m)s dibuat: %(n)s baris. Berikutnya: periksa barisnya, lalu minta pengguna lain "
                "menyetujuinya."
            )
            % {"m": bulan_tahun(run.period), "n": run.line_count}
        ),
    )
    if run:
        return redirect(run)
    page = paginate(request, selectors.run_list(request.user), 24, deferred=False)
    context = {"page": page, "form": form, "may_generate": can(request.user, Perm.PAYROLL_GENERATE)}
    return TemplateResponse(request, "incentives/runs.html", context, status=400 if form.errors else 200)


def detail_page(
    request: HttpRequest, run: PayrollRun, failed: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The run's page; approving and discarding are the steps ``PAYROLL`` offers the user."""
    lines = paginate(request, selectors.run_lines(run), PAGE_SIZE)
    exclusions = paginate(request, run.exclusions.select_related("kecamatan"), PAGE_SIZE, param="xpage")
    selectors.hide_restricted_names(request.user, [*lines, *exclusions])
    log_personal_access(request, channel=PAGE, model=PayrollLine, count=len(lines) + len(exclusions))
    context = {
        "run": run,
        "lines": lines,
        "exclusions": exclusions,
        "totals": selectors.kecamatan_totals(run),
        "steps": step_forms(PAYROLL, "incentives", request.user, run, failed or {}, name_prefix="run_"),
        # Why the maker is not offered the approval (the four-eyes rule), said before they look for it.
        "own_run": can(request.user, Perm.PAYROLL_APPROVE)
        and not run.is_locked
        and run.generated_by_id == request.user.pk,
        "may_bank_file": _may_bank_file(request.user),
    }
    return TemplateResponse(request, "incentives/run_detail.html", context, status=status)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, selectors.get_run_for_user(request.user, pk))


def _may_bank_file(user: Any) -> bool:
    # Whole account numbers: only for the staff who make or check the payment.
    return can(user, Perm.PAYROLL_GENERATE) or can(user, Perm.PAYROLL_APPROVE)


FILES = {
    "csv": ("text/csv; charset=utf-8", exports.bank_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.bank_xlsx),
}


def run_file(request: HttpRequest, run: PayrollRun, fmt: str) -> HttpResponse:
    """The bank file (csv/xlsx) or the recap (pdf, optionally ``?kecamatan=<code>``), logged as shown.

    Only of an approved run: a draft's file could reach the bank or a signature before anyone checked it."""
    if not run.is_locked:
        raise DomainError(
            _("File bank dan rekap hanya tersedia untuk penggajian yang sudah disetujui."), code="conflict"
        )
    if fmt == "pdf":
        body, content_type, unmasked = pdf.recap_pdf(run, request.GET.get("kecamatan")), "application/pdf", False
    elif fmt in FILES:
        if not _may_bank_file(request.user):
            raise PermissionDenied
        content_type, render = FILES[fmt]
        body, unmasked = render(run), True
    else:
        raise Http404
    log_personal_access(
        request, channel=PersonalDataAccess.Channel.EXPORT, obj=run, count=run.line_count, unmasked=unmasked
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(run, fmt)}"'
    return response


@login_required
@require_GET
def run_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, pk)
    try:
        return run_file(request, run, fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(run)


@login_required
@require_GET
def my_incentives(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PAYSLIP_VIEW_OWN)
    page = paginate(request, selectors.own_lines(request.user), 24, deferred=False)
    log_personal_access(request, channel=PAGE, model=PayrollLine, count=len(page))
    return TemplateResponse(request, "incentives/mine.html", {"page": page})


@login_required
@require_GET
def payslip(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.get_line_for_user(request.user, pk)  # another PSM's line: 404
    selectors.hide_restricted_names(request.user, [line])
    log_personal_access(request, channel=PAGE, obj=line)
    account = selectors.shown_account(line.account_number, whole=False)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(pdf.payslip_pdf(line, account=account), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="slip-insentif-{line.paid_month:%Y-%m}-{line.pk}.pdf"'
        return response
    return TemplateResponse(
        request, "incentives/payslip.html", {"line": line, "account": account, "description": exports.description(line)}
    )
