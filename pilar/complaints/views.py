"""The staff side: the complaint queue of the user's area, a complaint's page, and its triage.

A complaint outside the user's area answers 404, like one that does not exist; one in the area without
the permission answers 403. Names, address, photo and the reporter's contact are shown only to those who
act on them (PSM, TKSK, Dinsos operators), and every page that shows them is logged as personal-data access.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.permissions import Perm, can
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.complaints import selectors, services
from pilar.complaints.forms import CloseForm, ConvertForm
from pilar.complaints.models import Complaint
from pilar.core.errors import DomainError
from pilar.core.forms import apply_service_errors
from pilar.core.paging import DeferredJoinPaginator, page_links
from pilar.core.uploads import serve_upload
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


def _detail_page(request: HttpRequest, complaint: Complaint, forms: dict[str, Form] | None = None,
                 status: int = 200) -> HttpResponse:  # fmt: skip
    shown = selectors.shown(request.user, complaint)
    log_personal_access(request, channel=PAGE, obj=complaint, unmasked=shown.unmasked)
    may_triage = complaint.status == Complaint.Status.NEW and can(request.user, Perm.COMPLAINT_TRIAGE, complaint)
    forms = forms or {}
    if may_triage:
        initial = {"category": complaint.category.code} if complaint.category_id else {}
        forms.setdefault("convert", ConvertForm(initial=initial, auto_id="id_convert_%s"))
        forms.setdefault("close", CloseForm(auto_id="id_close_%s"))
    context = {"complaint": complaint, "shown": shown, "forms": forms, "may_triage": may_triage,
               "case": _visible_case(request.user, complaint)}  # fmt: skip
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
    return _detail_page(request, selectors.get_complaint_for_user(request.user, pk))


def _triage(request: HttpRequest, pk: int, name: str, form_class: type[Form], service: Any, done: str) -> HttpResponse:
    complaint = selectors.get_complaint_for_user(request.user, pk, Perm.COMPLAINT_TRIAGE)
    form = form_class(request.POST, auto_id=f"id_{name}_%s")
    if form.is_valid():
        try:
            complaint = service(complaint=complaint, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return _detail_page(request, complaint, {name: form}, status=400)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            complaint.refresh_from_db()
            return _detail_page(request, complaint, {name: form}, status=409 if exc.code == "conflict" else 400)
        messages.success(request, done)
        return redirect(complaint)
    return _detail_page(request, complaint, {name: form}, status=400)


@login_required
@require_POST
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    return _triage(request, pk, "convert", ConvertForm, services.complaint_convert,
                   _("Pengaduan dijadikan kasus di kelurahannya."))  # fmt: skip


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _triage(request, pk, "close", CloseForm, services.complaint_close, _("Pengaduan ditutup."))


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's photo, through the same scope as the complaint; never from a public media URL."""
    complaint = selectors.get_complaint_for_user(request.user, pk, Perm.COMPLAINT_VIEW_PERSONAL)
    if not complaint.photo:
        raise Http404
    log_personal_access(request, channel=PAGE, obj=complaint, unmasked=True)
    return serve_upload(complaint.photo.open("rb"), complaint.photo_content_type, complaint.tracking_code)
