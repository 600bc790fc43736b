"""The report archive page (``/laporan/``): every snapshot with its files, and the form that makes a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.core.htmx import partial_requested
from pilar.core.paging import DeferredJoinPaginator, page_links
from pilar.reports import services
from pilar.reports.archive import ReportForm, get_report_for_user, report_file, report_list
from pilar.reports.models import ReportKind

PAGE_SIZE = 50


@login_required
def archive(request: HttpRequest) -> HttpResponseBase:
    require(request.user, Perm.REPORT_VIEW)
    may_generate = can(request.user, Perm.REPORT_GENERATE)
    form = ReportForm(request.POST or None) if may_generate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            snapshot = services.report_generate(actor=signed_in(request), **form.cleaned_data)
            messages.success(request, _("Laporan %(name)s dibuat dan disimpan di arsip.") % {"name": snapshot})
            return redirect(reverse("reports:archive") + f"?periode={snapshot.period}")
    kind, period = request.GET.get("jenis", ""), request.GET.get("periode", "").strip()[:7]
    kind = kind if kind in ReportKind.values else ""
    page = DeferredJoinPaginator(report_list(request.user, kind=kind, period=period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "page_range": page_links(page),
        "form": form,
        "kinds": ReportKind.choices,
        "kind": kind,
        "period": period,
    }
    partial = partial_requested(request) and request.method == "GET"
    template = "reports/archive.html#results" if partial else "reports/archive.html"
    return TemplateResponse(request, template, context, status=400 if form and form.errors else 200)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return report_file(get_report_for_user(request.user, pk), fmt)
