"""Training event pages: list, create/edit, detail with sessions, materials, invitations and counts.

Thin views: load through ``selectors`` (an event outside the user's scope answers 404), validate with a
form, call one service, redirect with a message.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.forms import form_page, perform
from pilar.core.htmx import partial_requested
from pilar.core.listing import list_response, paginate
from pilar.core.paging import page_links
from pilar.core.uploads import serve_upload, upload_arguments
from pilar.regions.selectors import city_kecamatan
from pilar.trainings import selectors, services
from pilar.trainings.forms import EventForm, InviteForm, MaterialForm, SessionForm
from pilar.trainings.models import EventKind, Material, Participant

PAGE_SIZE = 25
PARTICIPANT_PAGE = 50
GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TRAINING_VIEW)
    filters = selectors.EventFilter.from_params(request.GET)
    page = paginate(request, selectors.event_list(request.user, filters), PAGE_SIZE, deferred=False)
    return list_response(request, "trainings/list.html", page, {"filters": filters, "kinds": EventKind.choices})


@login_required
@GET_POST
def event_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TRAINING_MANAGE)
    form = EventForm(request.POST or None)
    event = perform(
        request,
        form,
        lambda: services.event_create(actor=signed_in(request), **form.service_kwargs()),
        lambda e: _("Pelatihan tersimpan. Kode presensi: %(code)s.") % {"code": e.checkin_code},
    )
    if event:
        return redirect(event)
    return form_page(request, "trainings/form.html", {"form": form})


@login_required
@GET_POST
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    form = EventForm(request.POST or None, instance=event)
    done = perform(
        request,
        form,
        lambda: services.event_update(event=event, actor=signed_in(request), data=form.service_kwargs()),
        lambda e: _("Pelatihan tersimpan."),
    )
    if done:
        return redirect(done)
    return form_page(request, "trainings/form.html", {"form": form, "event": event})


def _detail(request: HttpRequest, event: Any, **forms: Form) -> TemplateResponse:
    manage = can(request.user, Perm.TRAINING_MANAGE)
    filters = {"q": request.GET.get("q", "").strip(), "kecamatan": request.GET.get("kecamatan", "").strip()}
    rows = selectors.participants(request.user, event, **filters)
    page = paginate(request, rows, PARTICIPANT_PAGE, deferred=False)
    sessions = list(event.sessions.all())
    matrix = selectors.attendance_matrix(event, [p.pk for p in page])
    if page:
        log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, model=Participant, count=len(page))
    context = {
        "event": event,
        "sessions": sessions,
        "materials": event.materials.all(),
        "page": page,
        "page_range": page_links(page),
        "rows": [{"p": p, "attended": [(s, s.pk in matrix[p.pk]) for s in sessions]} for p in page],
        "filters": filters,
        "kecamatan_options": city_kecamatan(),
        "per_kecamatan": selectors.counts_per_kecamatan(request.user, event),
        "manage": manage,
        "invite_form": forms.get("invite_form") or (InviteForm() if manage else None),
        "session_form": forms.get("session_form") or (SessionForm() if manage else None),
        "material_form": forms.get("material_form") or (MaterialForm() if manage else None),
        "speakers": [s for s in event.speakers.splitlines() if s.strip()],
        "topics": [t for t in event.topics.splitlines() if t.strip()],
    }
    partial = partial_requested(request, "results")
    return form_page(request, "trainings/detail.html#results" if partial else "trainings/detail.html", context)


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_event_for_user(request.user, pk))


@login_required
@require_POST
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    form = InviteForm(request.POST)
    done = perform(
        request,
        form,
        lambda: services.participants_invite(
            event=event, actor=signed_in(request), target=form.cleaned_data["target"], region=form.region()
        ),
        lambda r: (
            _("%(new)s peserta diundang; %(old)s sudah diundang sebelumnya.") % {"new": r.invited, "old": r.already}
        ),
    )
    return redirect(event) if done else _detail(request, event, invite_form=form)


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    form = SessionForm(request.POST)
    done = perform(
        request,
        form,
        lambda: services.session_add(event=event, actor=signed_in(request), **form.cleaned_data),
        lambda s: _("Sesi %(name)s ditambahkan.") % {"name": s.name},
    )
    return redirect(event) if done else _detail(request, event, session_form=form)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    form = MaterialForm(request.POST, request.FILES)
    done = perform(
        request,
        form,
        lambda: services.material_add(event=event, actor=signed_in(request), **upload_arguments(form.cleaned_data)),
        lambda m: _("Materi %(title)s diunggah.") % {"title": m.title},
    )
    return redirect(event) if done else _detail(request, event, material_form=form)


@login_required
@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material, pk=pk)
    selectors.get_event_for_user(request.user, material.event_id)
    name = str(material.file).rsplit("/", 1)[-1]  # the stored name
    response = serve_upload(material.file.open("rb"), material.content_type, name)  # the type sniffed at upload
    response["Content-Disposition"] = f'attachment; filename="{name}"'  # materials are always downloads
    return response
