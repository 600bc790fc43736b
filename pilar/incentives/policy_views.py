"""The rate schedule, the corrections waiting for a run, and the budget by year and month."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, can, require
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.listing import paginate
from pilar.incentives import selectors, services
from pilar.incentives.forms import AdjustmentForm, RateForm
from pilar.incentives.models import Adjustment
from pilar.incentives.views import posted


@login_required
@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PAYROLL_VIEW)
    form = RateForm(request.POST or None)
    if posted(request, form, Perm.PAYROLL_RATES, services.rate_add, _("Tarif baru disimpan.")):
        return redirect("incentives:rates")
    context = {"rates": selectors.rate_schedule(), "form": form, "may_add": can(request.user, Perm.PAYROLL_RATES)}
    return TemplateResponse(request, "incentives/rates.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def adjustments(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PAYROLL_VIEW)
    form = AdjustmentForm(request.POST or None)
    done = _("Koreksi dicatat; dibayar pada penggajian berikutnya yang dibuat.")
    if posted(request, form, Perm.PAYROLL_GENERATE, services.adjustment_add, done):
        return redirect("incentives:adjustments")
    qs = Adjustment.objects.select_related("worker__person", "created_by", "line__run").order_by("-created_at", "-id")
    page = paginate(request, qs, 50, deferred=False)
    log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, model=Adjustment, count=len(page))
    context = {
        "page": page,
        "form": form,
        "may_add": can(request.user, Perm.PAYROLL_GENERATE),
        "withheld": selectors.withheld_workers(request.user),  # restricted PSM (UU PDP): no name shown
        "withheld_name": selectors.RESTRICTED_NAME,
    }
    return TemplateResponse(request, "incentives/adjustments.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def budget(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PAYROLL_VIEW)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, 2017), this_year + 1)
    months = selectors.budget(year)
    context = {
        "year": year,
        "years": range(this_year + 1, 2016, -1),
        "months": months,
        "planned_total": sum(m.planned for m in months),
        "paid_total": sum(m.paid for m in months),
        "active_average": round(sum(m.active_psm for m in months) / 12),
    }
    return TemplateResponse(request, "incentives/budget.html", context)
