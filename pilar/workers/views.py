"""The workforce pages (issue: PSM/TKSK/IPSM workforce registry).

Thin views: load through ``selectors`` (a record outside the user's area answers 404), validate
with a form, call one service, redirect with a message. The Permensos rules live in ``rules``
and ``services``; nothing here decides who may serve where.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.accounts.visibility import Level
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import history, log_personal_access
from pilar.core.forms import form_page, perform
from pilar.core.listing import list_response, paginate
from pilar.regions.selectors import area_filter_options
from pilar.workers import exports, selectors, services
from pilar.workers.board_forms import BoardMemberForm, BoardPeriodForm
from pilar.workers.forms import (
    DecreeForm,
    StatusForm,
    TransferForm,
    WorkerCreateForm,
    WorkerUpdateForm,
)
from pilar.workers.models import BoardMembership, BoardPeriod, BoardPosition, Worker, WorkerRole, WorkerStatus

PAGE_SIZE = 25
GET_POST = require_http_methods(["GET", "POST"])

ACTION_LABELS = {
    "workers.worker.created": gettext_lazy("Didaftarkan"),
    "workers.worker.updated": gettext_lazy("Data diubah"),
    "workers.worker.status_changed": gettext_lazy("Status diubah"),
    "workers.worker.transferred": gettext_lazy("Mutasi"),
    "workers.decree.added": gettext_lazy("SK ditambahkan"),
}
POSITION_ORDER = {position: i for i, position in enumerate(BoardPosition.values)}


def _perform(request: HttpRequest, form: Form, action: Callable[[], Any], success: str) -> HttpResponse | None:
    """``perform``, then to what the action returns (the record, or a page's URL)."""
    target = perform(request, form, action, success)
    return None if target is None else redirect(target)


def _nik_shown(user: Any, worker: Worker) -> tuple[str, bool]:
    view = selectors.worker_view(user, worker)
    return view.nik(worker.person.nik) or "", view.level("nik") == Level.FULL


@login_required
@require_GET
def worker_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.WORKER_VIEW)
    filters = selectors.WorkerFilter.from_params(request.GET)
    page = paginate(request, selectors.worker_list(request.user, filters), PAGE_SIZE, deferred=False)
    rows = [(worker, *_nik_shown(request.user, worker)) for worker in page]
    log_personal_access(
        request,
        channel=PersonalDataAccess.Channel.PAGE,
        model=Worker,
        count=len(rows),
        unmasked=any(whole for _w, _nik, whole in rows),
    )
    context = {
        "rows": [{"worker": w, "nik": nik} for w, nik, _whole in rows],
        "filters": filters,
        **area_filter_options(filters.kecamatan, selectors.kecamatan_choices()),
        "roles": WorkerRole.choices,
        "statuses": WorkerStatus.choices,
    }
    return list_response(request, "workers/list.html", page, context)


@login_required
@require_GET
def worker_export(request: HttpRequest) -> HttpResponseBase:
    require(request.user, Perm.WORKER_EXPORT)
    kind = request.GET.get("format", "csv")
    if kind not in exports.FORMATS:
        return HttpResponseBadRequest(_("Format ekspor tidak dikenal."))
    workers = selectors.worker_list(request.user, selectors.WorkerFilter.from_params(request.GET))
    log_personal_access(
        request,
        channel=PersonalDataAccess.Channel.EXPORT,
        model=Worker,
        count=workers.count(),
        unmasked=selectors.worker_view(request.user).unmasked,
    )
    return exports.FORMATS[kind](workers, request.user)


def _field_labels() -> dict[str, Any]:
    """Names for the keys of audit entries, taken from the forms the values were typed into."""
    labels: dict[str, Any] = {f.name: capfirst(f.verbose_name) for f in Worker._meta.fields}
    for form in (WorkerCreateForm, TransferForm, DecreeForm):
        labels |= {name: field.label for name, field in form.base_fields.items()}
    return labels | {"date": _("Tanggal SK")}


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return str(value)


def _history(worker: Worker, hidden: set[str]) -> list[dict[str, Any]]:
    """Audit entries as ``label: old → new``; values the user may not see stay hidden (UU PDP)."""
    labels, secret = _field_labels(), _("(disembunyikan)")
    entries = []
    for entry in history(worker):
        changes = [
            (labels.get(f, f), *((secret, secret) if f in hidden else (_shown(old), _shown(new))))
            for f, (old, new) in entry.changes.items()
        ]
        data = [(labels.get(f, f), secret if f in hidden else _shown(v)) for f, v in entry.data.items()]
        entries.append(
            {"entry": entry, "action": ACTION_LABELS.get(entry.action, entry.action), "changes": changes, "data": data}
        )
    return entries


@login_required
@require_GET
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.get_worker_for_user(request.user, pk)
    view = selectors.worker_view(request.user, worker)
    unmasked = view.unmasked
    personal = selectors.worker_personal(worker, view)
    log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=worker, unmasked=unmasked)
    # Audit history values follow the same table: a field not shown whole is not shown in its history either.
    hidden = {f for f, key in selectors.PERSONAL_KEYS.items() if view.level(key) != Level.FULL}
    context = {
        "worker": worker,
        "personal": personal,
        "assignments": worker.assignments.select_related("region"),
        "decrees": worker.decrees.all(),
        "status_changes": worker.status_changes.select_related("actor"),
        "board_seats": worker.board_memberships.select_related("period"),
        "history": _history(worker, hidden) if can(request.user, Perm.AUDIT_VIEW, worker) else None,
    }
    return TemplateResponse(request, "workers/detail.html", context)


@login_required
@GET_POST
def worker_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.WORKER_MANAGE)
    form = WorkerCreateForm(request.POST or None)
    done = _perform(
        request,
        form,
        lambda: services.worker_create(actor=signed_in(request), **form.service_kwargs()),
        _("Data pekerja tersimpan."),
    )
    return done or form_page(request, "workers/create.html", {"form": form})


@login_required
@GET_POST
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.get_worker_for_user(request.user, pk, Perm.WORKER_MANAGE)
    form = WorkerUpdateForm(request.POST or None, initial=WorkerUpdateForm.initial_for(worker))
    done = _perform(
        request,
        form,
        lambda: services.worker_update(
            worker=worker,
            actor=signed_in(request),
            data=form.changed_values(worker),
            confirm_address=form.cleaned_data["confirm_address"],
        ),
        _("Data pekerja tersimpan."),
    )
    return done or form_page(request, "workers/edit.html", {"worker": worker, "form": form})


@login_required
@GET_POST
def worker_status(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.get_worker_for_user(request.user, pk, Perm.WORKER_MANAGE)
    form = StatusForm(request.POST or None)
    done = _perform(
        request,
        form,
        lambda: services.worker_set_status(worker=worker, actor=signed_in(request), **form.cleaned_data),
        _("Status pekerja tersimpan."),
    )
    return done or form_page(request, "workers/status.html", {"worker": worker, "form": form})


@login_required
@GET_POST
def worker_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.get_worker_for_user(request.user, pk, Perm.WORKER_MANAGE)
    form = TransferForm(request.POST or None, worker=worker)
    done = _perform(
        request,
        form,
        lambda: services.worker_transfer(
            worker=worker,
            actor=signed_in(request),
            region=form.region(),
            start_date=form.cleaned_data["start_date"],
            note=form.cleaned_data["note"],
            confirm_address=form.cleaned_data["confirm_address"],
        ),
        _("Mutasi tersimpan."),
    )
    is_psm = worker.role == WorkerRole.PSM
    return done or form_page(request, "workers/transfer.html", {"worker": worker, "form": form, "is_psm": is_psm})


@login_required
@GET_POST
def worker_decree(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.get_worker_for_user(request.user, pk, Perm.WORKER_MANAGE)
    form = DecreeForm(request.POST or None)

    def add() -> Worker:
        services.decree_add(worker=worker, actor=signed_in(request), **form.cleaned_data)
        return worker  # back to the worker's page

    done = _perform(request, form, add, _("SK tersimpan."))
    return done or form_page(request, "workers/decree.html", {"worker": worker, "form": form})


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.WORKER_VIEW)
    return TemplateResponse(request, "workers/coverage.html", {"rows": selectors.coverage(request.user)})


def _period_or_latest(pk: str | None) -> BoardPeriod | None:
    if not pk:
        return BoardPeriod.objects.first()  # ordered newest first
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(BoardPeriod, pk=pk)


def _board_url(period: BoardPeriod) -> str:
    return f"{reverse('workers:board')}?period={period.pk}"


def _board_page(
    request: HttpRequest,
    period: BoardPeriod | None,
    *,
    period_form: BoardPeriodForm | None = None,
    member_form: BoardMemberForm | None = None,
) -> TemplateResponse:
    manage = can(request.user, Perm.BOARD_MANAGE)
    # The positions read in the order of the association's statute, not alphabetically.
    seats = sorted(selectors.board(period), key=lambda m: POSITION_ORDER.get(m.position, len(POSITION_ORDER)))
    context = {
        "period": period,
        "periods": BoardPeriod.objects.all(),
        "seats": seats,
        "manage": manage,
        "period_form": (period_form or BoardPeriodForm()) if manage else None,
        "member_form": (member_form or BoardMemberForm(user=request.user)) if manage and period else None,
    }
    return form_page(request, "workers/board.html", context)


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.BOARD_VIEW)
    return _board_page(request, _period_or_latest(request.GET.get("period")))


@login_required
@require_POST
def board_period_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.BOARD_MANAGE)
    form = BoardPeriodForm(request.POST)
    done = _perform(
        request,
        form,
        lambda: _board_url(services.board_period_create(actor=signed_in(request), **form.cleaned_data)),
        _("Periode pengurus tersimpan."),
    )
    return done or _board_page(request, BoardPeriod.objects.first(), period_form=form)


@login_required
@require_POST
def board_member_set(request: HttpRequest, period_pk: int) -> HttpResponse:
    require(request.user, Perm.BOARD_MANAGE)
    period = get_object_or_404(BoardPeriod, pk=period_pk)
    form = BoardMemberForm(request.POST, user=request.user)

    def seat() -> str:
        services.board_member_set(actor=signed_in(request), period=period, **form.cleaned_data)
        return _board_url(period)

    done = _perform(request, form, seat, _("Pengurus IPSM tersimpan."))
    return done or _board_page(request, period, member_form=form)


@login_required
@require_POST
def board_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.BOARD_MANAGE)
    membership = get_object_or_404(BoardMembership.objects.select_related("period", "worker__person"), pk=pk)
    period = membership.period
    services.board_member_remove(actor=signed_in(request), membership=membership)
    messages.success(request, _("Pengurus IPSM dilepas dari jabatannya."))
    return redirect(_board_url(period))
