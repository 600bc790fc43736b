"""Referral pages: the agency's inbox, a referral with its answer forms, sending from a case, statistics.

Thin views: load through ``selectors`` (404 for what the user may not see, 403 for what they see but
may not do), validate with a form, call one service, redirect with a message. The agency's answers are the
steps of ``workflow.REFERRAL``, run by the generic step view (``pilar.core.workflow_views``). An agency user reads
only the referral: the case's name, kelurahan, category, the reason and whom to call, never the case.
"""

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, access_for, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.cases.models import Case
from pilar.core.forms import perform
from pilar.core.listing import list_response, paginate
from pilar.core.workflow_views import step_forms
from pilar.referrals import selectors, services
from pilar.referrals.forms import SendForm
from pilar.referrals.models import Referral, ReferralStatus
from pilar.referrals.workflow import REFERRAL
from pilar.regions.selectors import city_kecamatan

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE
S = ReferralStatus


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """The agency's inbox; for Dinsos, TKSK and PSM the referrals of the cases in their area."""
    require(request.user, Perm.REFERRAL_VIEW)
    filters = selectors.ReferralFilter.from_params(request.GET)
    page = paginate(request, selectors.referral_list(request.user, filters), PAGE_SIZE)
    log_personal_access(request, channel=PAGE, model=Referral, count=len(page.object_list))
    access = access_for(request.user)
    context = {
        "filters": filters,
        "statuses": S.choices,
        "agencies": selectors.active_agencies() if not access.agency_ids or access.city_wide else [],
        "kecamatan_options": city_kecamatan(),
        "is_agency": bool(access.agency_ids) and not access.city_wide,
        "today": timezone.localdate(),
    }
    return list_response(request, "referrals/list.html", page, context)


def detail_page(
    request: HttpRequest, referral: Referral, failed: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The referral's page; its action forms are the steps ``REFERRAL`` offers the user (``failed`` in place)."""
    user = request.user
    log_personal_access(request, channel=PAGE, obj=referral)
    steps = step_forms(REFERRAL, "referrals", user, referral, failed or {})
    context = {
        "referral": referral,
        "case": referral.case,
        # The link to the case only for those the case page would let in (never the agency).
        "case_visible": Case.objects.visible_to(user).filter(pk=referral.case_id).exists(),
        "events": referral.events.select_related("actor"),
        "overdue": referral.is_overdue(timezone.localdate()),
        "steps": steps,
        "forms": {item.step.name: item.form for item in steps},
    }
    return TemplateResponse(request, "referrals/detail.html", context, status=status)


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, selectors.get_referral_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def referral_send(request: HttpRequest, case_id: int) -> HttpResponse:
    """Refer a case to an agency (the case page links here as ``referrals:send``)."""
    case = selectors.case_for_sending(request.user, case_id)  # 404 outside the area, 403 without the permission
    form = SendForm(request.POST if request.method == "POST" else None)
    referral = perform(
        request,
        form,
        lambda: services.referral_send(case=case, actor=signed_in(request), **form.cleaned_data),
        lambda referral: _("Rujukan terkirim ke %(agency)s.") % {"agency": referral.agency.name},
    )
    if referral:
        return redirect(referral)
    context = {
        "case": case,
        "form": form,
        "referrals": selectors.referrals_for_case(case),
        "answer_days": services.answer_days(),
    }
    return TemplateResponse(request, "referrals/send.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def referral_stats(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REFERRAL_VIEW)
    rows = selectors.agency_stats(request.user)
    return TemplateResponse(request, "referrals/stats.html", {"rows": rows, "answer_days": services.answer_days()})
