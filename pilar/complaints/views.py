"""The staff side: the complaint queue of the user's area and a complaint's page; its triage steps are declared in
``workflow.COMPLAINT`` and run by the generic step view (``pilar.core.workflow_views``).

A complaint outside the user's area answers 404, like one that does not exist; one in the area without
the permission answers 403. Names, address, photo and the reporter's contact are shown only to those who
act on them (PSM, TKSK, Dinsos operators), and every page that shows them is logged as personal-data access.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, can
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.complaints import selectors
from pilar.complaints.models import Complaint
from pilar.complaints.workflow import COMPLAINT
from pilar.core.paging import DeferredJoinPaginator, page_links
from pilar.core.uploads import serve_upload
from pilar.core.workflow_views import step_forms
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.COMPLAINT_VIEW):
        raise PermissionDenied
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Complaint.Status.NEW  # the queue opens on what still waits for triage
    filters = selectors.ComplaintFilter.from_params(params)
    page = DeferredJoinPaginator(selectors.complaint_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [selectors.shown(request.user, c) for c in page]
    unmasked = any(row.unmasked for row in rows)
    if rows:
        log_personal_access(request, channel=PAGE, model=Complaint, count=len(rows), unmasked=unmasked)
    context = {
        "page": page,
        "page_range": page_links(page),
        "rows": rows,
        "filters": filters,
        "kecamatan_options": city_kecamatan(),
        "village_options": Region.objects.villages().filter(parent__code=filters.kecamatan)
        if filters.kecamatan
        else Region.objects.none(),
        "statuses": Complaint.Status.choices,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return TemplateResponse(request, "complaints/list.html#results" if partial else "complaints/list.html", context)


def detail_page(
    request: HttpRequest, complaint: Complaint, failed: dict[str, Form] | None = None, status: int = 200
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
    return TemplateResponse(request, "complaints/detail.html", context, status=status)


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
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's photo, through the same scope as the complaint; never from a public media URL."""
    complaint = selectors.get_complaint_for_user(request.user, pk, Perm.COMPLAINT_VIEW_PERSONAL)
    if not complaint.photo:
        raise Http404
    log_personal_access(request, channel=PAGE, obj=complaint, unmasked=True)
    return serve_upload(complaint.photo.open("rb"), complaint.photo_content_type, complaint.tracking_code)
