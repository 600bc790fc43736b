"""The TKSK's monthly recap (page, XLSX, print) and the roadshow plan with its kelurahan coverage."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, access_for, can, require, requires, signed_in
from pilar.activities import exports, recap, selectors, services
from pilar.activities.forms import RecapForm, RoadshowDoneForm, RoadshowPlanForm
from pilar.activities.models import RoadshowVisit
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.forms import perform
from pilar.core.htmx import partial_requested
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.workers.models import Worker

PAGE_SIZE = 25


def _recap(request: HttpRequest) -> tuple[RecapForm, recap.Recap | None]:
    """The recap the user asked for; a kecamatan outside the user's area answers 404, like a missing one."""
    require(request.user, Perm.ACTIVITY_VIEW)
    options = recap.kecamatan_choices(request.user)
    form = RecapForm(request.GET or None, kecamatan_options=options)
    if form.is_bound and not form.is_valid():
        if "kecamatan" in form.errors:
            raise Http404
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    period = data.get("period") or selectors.previous_month(selectors.month_start(timezone.localdate()))
    kecamatan = data.get("kecamatan")
    if kecamatan is None and not access_for(request.user).city_wide:
        kecamatan = options.first()  # a TKSK's (or PSM's) recap is their own kecamatan
        if kecamatan is None:
            raise PermissionDenied
    # The form shows what is shown: the month and kecamatan chosen for the user when the URL named none.
    shown = RecapForm(
        initial={"period": period, "kecamatan": kecamatan.code if kecamatan else ""}, kecamatan_options=options
    )
    return shown, recap.build_recap(period=period, kecamatan=kecamatan)


@login_required
@require_GET
def recap_page(request: HttpRequest) -> HttpResponse:
    form, result = _recap(request)
    missing = []
    # Who has not reported is for those who follow it up (TKSK, Dinsos), not for fellow PSM.
    if result is not None and result.kecamatan is not None and can(request.user, Perm.ACTIVITY_CHECK):
        missing = recap.not_reported(period=result.period, kecamatan=result.kecamatan, user=request.user)
    if missing:
        log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, model=Worker, count=len(missing))
    context = {"form": form, "recap": result, "title": exports.title(result) if result else "", "missing": missing}
    return TemplateResponse(request, "activities/recap.html", context, status=200 if result else 400)


def _recap_as(request: HttpRequest, answer: Callable[[recap.Recap], HttpResponse]) -> HttpResponse:
    """The recap printed or as a file; a request the recap page refuses goes back there, to show why."""
    _form, result = _recap(request)
    if result is None:
        return redirect(reverse("activities:recap") + "?" + request.GET.urlencode())
    return answer(result)


@login_required
@require_GET
def recap_print(request: HttpRequest) -> HttpResponse:
    return _recap_as(
        request,
        lambda result: TemplateResponse(
            request,
            "activities/recap_print.html",
            {"recap": result, "title": exports.title(result), "printed": timezone.localdate()},
        ),
    )


@login_required
@require_GET
def recap_xlsx(request: HttpRequest) -> HttpResponse:
    return _recap_as(request, exports.xlsx_response)


# --- roadshow -------------------------------------------------------------------------------------


@login_required
@require_GET
@requires(Perm.ACTIVITY_VIEW)
def roadshow(request: HttpRequest) -> HttpResponse:
    rows = recap.coverage(recap.coverage_scope(request.user))
    visits = RoadshowVisit.objects.visible_to(request.user).listing().order_by("-planned_date", "id")
    status = request.GET.get("status", "")
    if status in RoadshowVisit.Status.values:
        visits = visits.filter(status=status)
    page = paginate(request, visits, PAGE_SIZE)
    totals = {name: sum(getattr(row, name) for row in rows) for name in ("visited", "planned", "not_yet")}
    context = {
        "rows": rows,
        "totals": totals | {"villages": sum(len(row.villages) for row in rows)},
        "page": page,
        "page_range": page_links(page),
        "status": status,
        "statuses": RoadshowVisit.Status.choices,
        "may_manage": can(request.user, Perm.ROADSHOW_MANAGE),
        "done_form": RoadshowDoneForm(initial={"done_date": timezone.localdate()}),
    }
    partial = partial_requested(request)
    return TemplateResponse(
        request, "activities/roadshow.html#visits" if partial else "activities/roadshow.html", context
    )


@login_required
@require_http_methods(["GET", "POST"])
@requires(Perm.ROADSHOW_MANAGE)
def roadshow_plan(request: HttpRequest) -> HttpResponse:
    form = RoadshowPlanForm(request.POST or None)
    if perform(
        request,
        form,
        lambda: services.roadshow_plan(actor=signed_in(request), **form.cleaned_data),
        _("Kunjungan roadshow direncanakan."),
    ):
        return redirect("activities:roadshow")
    return TemplateResponse(
        request, "activities/roadshow_plan.html", {"form": form}, status=400 if form.errors else 200
    )


def roadshow_page(request: HttpRequest, visit: RoadshowVisit, failed: dict[str, Form], status: int) -> HttpResponse:
    """Where a roadshow step answers (``ROADSHOW``, run by the generic step view): the roadshow list, with what
    went wrong said once above it (a stop has no page of its own; a refusal's message is already set)."""
    problems = [str(message) for form in failed.values() for errors in form.errors.values() for message in errors]
    if problems:
        messages.error(request, " ".join(problems))
    return redirect("activities:roadshow")
