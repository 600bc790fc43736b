"""Referral pages: the agency's inbox, a referral with its answer forms, sending from a case, statistics.

Thin views: load through ``selectors`` (404 for what the user may not see, 403 for what they see but
may not do), validate with a form, call one service, redirect with a message. An agency user reads
only the referral: the case's name, kelurahan, category, the reason and whom to call, never the case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, access_for, can
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.cases.models import Case
from pilar.core.errors import DomainError
from pilar.core.forms import apply_service_errors
from pilar.core.paging import DeferredJoinPaginator, page_links
from pilar.referrals import selectors, services
from pilar.referrals.forms import CompleteForm, DeclineForm, NoteForm, SendForm
from pilar.referrals.models import Referral, ReferralStatus
from pilar.regions.selectors import city_kecamatan

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE
S = ReferralStatus


@dataclass(frozen=True)
class Action:
    """One answer of the agency as the page offers it: its form, service and the statuses it needs."""

    name: str
    form: type[Form]
    service: Callable[..., Referral]
    statuses: tuple[str, ...]
    done: Any

    def bound(self, data: Any = None) -> Form:
        return self.form(data, auto_id=f"id_{self.name}_%s")


ACTIONS = {
    a.name: a
    for a in (
        Action("accept", NoteForm, services.referral_accept, (S.SENT,), gettext_lazy("Rujukan diterima.")),
        Action("decline", DeclineForm, services.referral_decline, (S.SENT,),
               gettext_lazy("Rujukan ditolak; petugas kasus diberi tahu alasannya.")),
        Action("process", NoteForm, services.referral_process, (S.ACCEPTED,),
               gettext_lazy("Rujukan ditandai sedang diproses.")),
        Action("complete", CompleteForm, services.referral_complete, (S.ACCEPTED, S.IN_PROGRESS),
               gettext_lazy("Rujukan selesai; hasilnya dikirim ke petugas kasus.")),
    )
}  # fmt: skip


def _require(user: Any, perm: Perm) -> None:
    if not can(user, perm):
        raise PermissionDenied


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """The agency's inbox; for Dinsos, TKSK and PSM the referrals of the cases in their area."""
    _require(request.user, Perm.REFERRAL_VIEW)
    filters = selectors.ReferralFilter.from_params(request.GET)
    page = DeferredJoinPaginator(selectors.referral_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_personal_access(request, channel=PAGE, model=Referral, count=len(page.object_list))
    access = access_for(request.user)
    context = {
        "page": page,
        "page_range": page_links(page),
        "filters": filters,
        "statuses": S.choices,
        "agencies": selectors.active_agencies() if not access.agency_ids or access.city_wide else [],
        "kecamatan_options": city_kecamatan(),
        "is_agency": bool(access.agency_ids) and not access.city_wide,
        "today": timezone.localdate(),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return TemplateResponse(request, "referrals/list.html#results" if partial else "referrals/list.html", context)


def _detail_page(request: HttpRequest, referral: Referral, failed: Form | None = None, name: str = "") -> HttpResponse:
    user = request.user
    log_personal_access(request, channel=PAGE, obj=referral)
    may_decide = selectors.may_decide(user, referral)
    forms = {n: a.bound() for n, a in ACTIONS.items() if may_decide and referral.status in a.statuses}
    if failed is not None:
        forms[name] = failed
    context = {
        "referral": referral,
        "case": referral.case,
        # The link to the case only for those the case page would let in (never the agency).
        "case_visible": Case.objects.visible_to(user).filter(pk=referral.case_id).exists(),
        "events": referral.events.select_related("actor"),
        "overdue": referral.is_overdue(timezone.localdate()),
        "forms": forms,
    }
    return TemplateResponse(request, "referrals/detail.html", context, status=400 if failed is not None else 200)


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_referral_for_user(request.user, pk))


def _act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    action = ACTIONS[name]
    referral = selectors.get_referral_for_user(request.user, pk, Perm.REFERRAL_DECIDE)  # 404, then 403
    form = action.bound(request.POST)
    if form.is_valid():
        try:
            action.service(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except DomainError as exc:
            # Someone else answered first: show the referral as it is now, with the reason.
            messages.error(request, exc.message)
            return redirect(referral)
        else:
            messages.success(request, action.done)
            return redirect(referral)
    return _detail_page(request, referral, form, name)


def _action_view(name: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, name)

    view.__name__ = view.__qualname__ = f"referral_{name}"
    return view


referral_accept = _action_view("accept")
referral_decline = _action_view("decline")
referral_process = _action_view("process")
referral_complete = _action_view("complete")


@login_required
@require_http_methods(["GET", "POST"])
def referral_send(request: HttpRequest, case_id: int) -> HttpResponse:
    """Refer a case to an agency (the case page links here as ``referrals:send``)."""
    case = selectors.case_for_sending(request.user, case_id)  # 404 outside the area, 403 without the permission
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Rujukan terkirim ke %(agency)s.") % {"agency": referral.agency.name})
            return redirect(referral)
    context = {"case": case, "form": form, "referrals": selectors.referrals_for_case(case),
               "answer_days": services.answer_days()}  # fmt: skip
    return TemplateResponse(request, "referrals/send.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def referral_stats(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.REFERRAL_VIEW)
    rows = selectors.agency_stats(request.user)
    return TemplateResponse(request, "referrals/stats.html", {"rows": rows, "answer_days": services.answer_days()})
