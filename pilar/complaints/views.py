"""The staff side: the complaint queue of the user's area and a complaint's page; its triage steps are declared in
``workflow.COMPLAINT`` and run by the generic step view (``pilar.core.workflow_views``).

A complaint outside the user's area answers 404, like one that does not exist; one in the area without
the permission answers 403. Names, address, photo and the reporter's contact are shown only to those who
act on them (PSM, TKSK, Dinsos operators), and every page that shows them is logged as personal-data access.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.permissions import Perm, access_for, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.complaints import selectors, services
from pilar.complaints.forms import ReporterForm
from pilar.complaints.models import Complaint
from pilar.complaints.workflow import COMPLAINT
from pilar.core.listing import list_response, paginate
from pilar.core.uploads import serve_upload
from pilar.core.workflow_views import step_forms
from pilar.regions.selectors import area_filter_options

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.COMPLAINT_VIEW)
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Complaint.Status.NEW  # the queue opens on what still waits for triage
    filters = selectors.ComplaintFilter.from_params(params)
    page = paginate(request, selectors.complaint_list(request.user, filters), PAGE_SIZE)
    rows = [selectors.shown(request.user, c) for c in page]
    unmasked = any(row.unmasked for row in rows)
    if rows:
        log_personal_access(request, channel=PAGE, model=Complaint, count=len(rows), unmasked=unmasked)
    context = {
        "rows": rows,
        "filters": filters,
        **area_filter_options(filters.kecamatan),
        "statuses": Complaint.Status.choices,
    }
    return list_response(request, "complaints/list.html", page, context)


def detail_page(
    request: HttpRequest,
    complaint: Complaint,
    failed: dict[str, Form] | None = None,
    status: int = 200,
    reporter_form: ReporterForm | None = None,
) -> HttpResponse:
    """The complaint's page; its triage forms are the steps ``COMPLAINT`` offers the user (``failed`` in place)."""
    shown = selectors.shown(request.user, complaint)
    log_personal_access(request, channel=PAGE, obj=complaint, unmasked=shown.unmasked)
    steps = step_forms(COMPLAINT, "complaints", request.user, complaint, failed or {})
    context = {
        "complaint": complaint,
        "shown": shown,
        "steps": steps,
        "forms": {item.step.name: item.form for item in steps},
        "case": _visible_case(request.user, complaint),
    }
    if _may_link_reporter(request.user):
        context["reporter"] = _visible_reporter(request.user, complaint)
        context["reporter_form"] = reporter_form or ReporterForm(user=request.user)
    return TemplateResponse(request, "complaints/detail.html", context, status=status)


def _may_link_reporter(user: Any) -> bool:
    """Linking a reporter to the registry serves the data-subject rights: Dinsos, city-wide, as the rights pages."""
    access = access_for(user)
    return Perm.RIGHTS_MANAGE in access.perms and access.city_wide


def _visible_reporter(user: Any, complaint: Complaint) -> Any:
    """The linked reporter, if the user may see them (a restricted person is shown to the admin only)."""
    if not complaint.reporter_person_id:
        return None
    from pilar.registry.selectors import persons_visible_to

    return persons_visible_to(user).filter(pk=complaint.reporter_person_id).first()


def _visible_case(user: Any, complaint: Complaint) -> Any:
    """The linked case, if the user may open it (the case has its own scope and permissions)."""
    if not complaint.case_id:
        return None
    from pilar.cases.models import Case

    return Case.objects.visible_to(user).filter(pk=complaint.case_id).first()


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, selectors.get_complaint_for_user(request.user, pk))


@login_required
@require_POST
def reporter(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the complaint to its reporter in the registry by NIK (blank: remove the link)."""
    if not _may_link_reporter(request.user):
        raise PermissionDenied
    complaint = selectors.get_complaint_for_user(request.user, pk)
    form = ReporterForm(request.POST, user=request.user)
    if not form.is_valid():
        return detail_page(request, complaint, status=400, reporter_form=form)
    person = form.cleaned_data["nik"]
    services.complaint_link_reporter(complaint=complaint, actor=signed_in(request), person=person)
    messages.success(
        request,
        _("Pelapor dihubungkan dengan orang di registri.") if person else _("Tautan pelapor ke registri dilepas."),
    )
    return redirect(complaint)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's photo, through the same scope as the complaint; never from a public media URL."""
    complaint = selectors.get_complaint_for_user(request.user, pk, Perm.COMPLAINT_VIEW_PERSONAL)
    if not complaint.photo:
        raise Http404
    log_personal_access(request, channel=PAGE, obj=complaint, unmasked=True)
    return serve_upload(complaint.photo.open("rb"), complaint.photo_content_type, complaint.tracking_code)
