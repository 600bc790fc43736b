"""Public certificate verification, and the read-only training reports: counts per event and per kecamatan,
workers without the basic training, and one worker's participation history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, can, require
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.htmx import partial_requested
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.regions.selectors import city_kecamatan
from pilar.trainings import selectors
from pilar.trainings.certificates import date_range
from pilar.trainings.forms import VerifyForm
from pilar.trainings.models import BASIC_KINDS, Certificate, EventKind
from pilar.workers.models import Worker, WorkerRole
from pilar.workers.selectors import get_worker_for_user

PAGE_SIZE = 50


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Public: type a certificate's code."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("trainings:verify", code=form.cleaned_data["code"])
    return TemplateResponse(request, "trainings/verify.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public, without login: name, event, dates and validity only; nothing else personal."""
    cert = (
        Certificate.objects.select_related("participant__worker__person", "participant__event")
        .filter(code=code.upper())
        .first()
    )
    context = {"form": VerifyForm(initial={"code": code}), "code": code}
    if cert is None:
        return TemplateResponse(request, "trainings/verify.html", context | {"missing": True}, status=404)
    event = cert.participant.event
    context |= {
        "cert": cert,
        "name": cert.participant.worker.person.name,
        "event": event,
        "dates": date_range(event),
    }
    return TemplateResponse(request, "trainings/verify.html", context)


@login_required
@require_GET
def recap(request: HttpRequest) -> HttpResponse:
    """Counts per event and per kecamatan, within the user's scope."""
    require(request.user, Perm.TRAINING_VIEW)
    year = request.GET.get("year", "").strip()
    events = selectors.event_list(request.user, selectors.EventFilter(year=year))
    context = {
        "events": events,
        "per_kecamatan": selectors.counts_per_kecamatan(request.user),
        "year": year,
    }
    return TemplateResponse(request, "trainings/recap.html", context)


@login_required
@require_GET
def untrained(request: HttpRequest) -> HttpResponse:
    """Active workers with no completed basic training (Permensos 10/2019)."""
    if not (can(request.user, Perm.TRAINING_VIEW) and can(request.user, Perm.WORKER_VIEW)):
        raise PermissionDenied
    kecamatan, role = request.GET.get("kecamatan", "").strip(), request.GET.get("role", "").strip()
    qs = selectors.untrained_workers(request.user, kecamatan=kecamatan, role=role)
    page = paginate(request, qs, PAGE_SIZE, deferred=False)
    if page:
        log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, model=Worker, count=len(page))
    context = {
        "page": page,
        "page_range": page_links(page),
        "filters": {"kecamatan": kecamatan, "role": role},
        "kecamatan_options": city_kecamatan(),
        "roles": WorkerRole.choices,
        "basic_kinds": [label for value, label in EventKind.choices if value in BASIC_KINDS],
    }
    partial = partial_requested(request)
    return TemplateResponse(
        request, "trainings/untrained.html#results" if partial else "trainings/untrained.html", context
    )


@login_required
@require_GET
def worker_history(request: HttpRequest, worker_pk: int) -> HttpResponse:
    worker = get_worker_for_user(request.user, worker_pk)
    require(request.user, Perm.TRAINING_VIEW)
    rows = selectors.worker_history(request.user, worker)
    log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=worker)
    return TemplateResponse(request, "trainings/worker_history.html", {"worker": worker, "rows": rows})
