"""The field forms usable offline: the TKSK's field verification of a PPKS proposal, a case's home visit and note,
the training check-in, and a complaint taken in on a resident's behalf.

Each is one page under /lapangan/ (kept by the service worker once opened, so it opens without a network) with
the form the record's own page uses, marked ``data-field-form data-draft``: pilar/static/pilar/field/forms.js
keeps the draft on the device and puts the submission in the outbox. The POST is ``@idempotent`` (a replay
makes one record), scoped like the record's own page (404 outside the user's area, 403 without the step's
permission) and runs the app's one service for the step; a refusal answers 400/403/409 with the server's
message on the form, which the outbox shows back to fix. A form that changes the record (verification) carries
what it saw (``pilar.field.seen``): when the record changed meanwhile, 409 with both sides to choose from.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.cases import access as case_access
from pilar.cases.workflow import CASE
from pilar.complaints import services as complaint_services
from pilar.complaints.models import Complaint
from pilar.core.errors import DomainError
from pilar.core.forms import add_domain_error, apply_service_errors, perform
from pilar.core.idempotency import idempotent
from pilar.core.workflow import Workflow
from pilar.field import seen
from pilar.field.forms import ComplaintIntakeForm
from pilar.registry import selectors
from pilar.registry.forms import PpksProposeForm
from pilar.registry.models import PpksEvent, PpksRecord
from pilar.registry.workflow import PPKS
from pilar.trainings import attendance
from pilar.trainings.forms import CheckInForm
from pilar.trainings.models import Session

PAGE = PersonalDataAccess.Channel.PAGE
GET_POST = require_http_methods(["GET", "POST"])
Typed = Callable[[Any, Any], tuple[tuple[str, str, str], ...]]  # (form, record) -> the input beside the server's


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    """The one template of the field forms: what the record is, the form, and a conflict's two sides."""
    if request.method == "POST" and status == 200:
        status = 400  # a POST that comes back to its form was refused
    return TemplateResponse(request, "field/form.html", context, status=status)


# --- field verification (TKSK) ----------------------------------------------------------------------------------


def _verval_facts(user: Any, record: Any) -> seen.Facts:
    """The record as the TKSK's page shows it (masked for the role), each fact with its label."""
    view = visibility_for(user, record)
    subject = record.person or (record.household.head if record.household_id else None)
    name = view.name(subject.name) if subject else str(record.household or "")
    return {
        "name": (_("Nama"), name or "–"),
        "category": (_("Kategori"), record.category.name),
        "kelurahan": (_("Kelurahan"), record.kelurahan.name),
        "place": (_("Alamat"), view.place(record.address, record.rt, record.rw) or "–"),
        "status": (_("Status"), record.get_status_display()),
    }


def _verval_typed(form: Any, record: PpksRecord) -> tuple[tuple[str, str, str], ...]:
    """The TKSK's input beside what the server holds for the same fields now (another check, if any)."""
    last = PpksEvent.objects.filter(record=record, action="verified").order_by("-at").first()
    result = dict(form.fields["result"].choices).get(form.cleaned_data.get("result", ""), "")
    return (
        (str(_("Hasil verifikasi lapangan")), str(result), record.get_field_result_display()),
        (str(_("Catatan")), form.cleaned_data.get("note", ""), last.reason if last else ""),
    )


def _run_step(
    request: HttpRequest, workflow: Workflow, name: str, record: Any, typed: Typed | None = None, facts: Any = None
) -> tuple[HttpResponse | None, Any, seen.Conflict | None, int]:
    """One workflow step from a field form: its permission on the record (403), its form, the conflict check when
    the form carries what it saw (``facts``), then the step's one service. Returns the redirect after success, or
    the form, the conflict and the status to show them with (a refusal is the field app's 400 with the reason)."""
    user = request.user
    step = workflow.step(name)
    if not workflow.may(user, step.perm, record):
        raise PermissionDenied
    form = step.bind(request.POST if request.method == "POST" else None, record=record, user=user)
    if request.method != "POST" or not form.is_valid():
        return None, form, None, 200
    found = seen.conflict(request.POST, record, facts, typed(form, record) if typed else ()) if facts else None
    if found is not None:
        return None, form, found, 409
    try:
        workflow.run(step, record, user, form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
    except DomainError as exc:  # ``Refused`` too: verified or closed meanwhile, the user's own proposal
        add_domain_error(form, exc)
    else:
        messages.success(request, step.done_text(record))
        return redirect(record), form, None, 302
    return None, form, None, 400


@login_required
@GET_POST
@idempotent
def verval(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record: Any = selectors.get_ppks_for_user(user, pk, Perm.PPKS_VERIFY)  # 404 outside the kecamatan, 403 for a PSM
    facts = _verval_facts(user, record)
    done, form, found, status = _run_step(request, PPKS, "verify", record, _verval_typed, facts)
    if done is not None:
        return done
    log_personal_access(request, channel=PAGE, obj=record, unmasked=visibility_for(user, record).unmasked)
    context = {
        "title": _("Verifikasi lapangan"),
        "lead": f"{facts['name'][1]} · {record.category.name}",
        "back": (record.get_absolute_url(), _("Buka catatan PPKS")),
        "facts": list(facts.values()),
        "form": form,
        "seen": found.seen if found else seen.token(record, facts),
        "conflict": found,
        "draft_title": f"{_('Verifikasi lapangan')} · {facts['name'][1]}",
        "button": _("Simpan hasil verifikasi"),
    }
    return _page(request, context, status)


# --- case home visit and note (the case's assigned workers) ---------------------------------------------------


def _case_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = request.user
    case = case_access.get_case_for_user(user, pk)  # 404 outside the user's cases
    done, form, _found, status = _run_step(request, CASE, name, case)
    if done is not None:
        return done
    step = CASE.step(name)
    view = case_access.case_view(user, case)
    log_personal_access(request, channel=PAGE, obj=case, unmasked=view.unmasked)
    subject = view.name(case.subject_label) or case.reference
    context = {
        "title": step.label,
        "lead": f"{case.reference} · {subject}",
        "back": (case.get_absolute_url(), _("Buka kasus")),
        "facts": [
            (_("Kasus"), case.reference),
            (_("Tahap"), case.get_stage_display()),
            (_("Kelurahan"), case.kelurahan.name),
        ],
        "form": form,
        "draft_title": f"{step.label} · {case.reference}",
        "button": step.button or step.label,
    }
    return _page(request, context, status)


@login_required
@GET_POST
@idempotent
def case_visit(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_step(request, pk, "visit")


@login_required
@GET_POST
@idempotent
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_step(request, pk, "note")


# --- training check-in ---------------------------------------------------------------------------------------


def _coming_sessions(user: Any) -> list[Session]:
    """The user's sessions from today on: the page is opened (and kept) before the day, the code typed at the venue."""
    return list(
        Session.objects.filter(date__gte=timezone.localdate(), event__participants__worker__user=user)
        .select_related("event")
        .order_by("date", "pk")
        .distinct()[:20]
    )


def _checked_in_text(done: tuple[Any, bool]) -> str:
    row, created = done
    text = _("Kehadiran tercatat: %(s)s.") if created else _("Kehadiran pada %(s)s sudah tercatat sebelumnya.")
    return text % {"s": f"{row.session.event} — {row.session.name}"}


@login_required
@GET_POST
@idempotent
def check_in(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TRAINING_CHECKIN)
    sessions = _coming_sessions(request.user)
    form: Any = CheckInForm(request.POST if request.method == "POST" else None, sessions=sessions)
    dated = [(s.pk, f"{s.event} — {s.name} ({s.date:%d-%m-%Y})") for s in sessions]
    form.fields["session"].choices = [("", "—"), *dated]
    if perform(
        request,
        form,
        lambda: attendance.check_in_by_code(
            code=form.cleaned_data["code"], user=signed_in(request), session_id=form.cleaned_data["session"]
        ),
        _checked_in_text,
    ):
        return redirect("trainings:mine")
    context = {
        "title": _("Presensi pelatihan"),
        "lead": _("Ketik kode presensi yang ditampilkan panitia; tanpa sinyal, presensi dikirim saat tersambung."),
        "back": (reverse("trainings:mine"), _("Pelatihan saya")),
        "facts": [],
        "form": form,
        "draft_title": _("Presensi pelatihan"),
        "button": _("Catat kehadiran"),
    }
    return _page(request, context)


# --- complaint intake on a resident's behalf -------------------------------------------------------------------


@login_required
@GET_POST
@idempotent
def complaint_intake(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(user, Perm.COMPLAINT_TRIAGE)  # the area's complaint handlers: PSM, TKSK, Dinsos
    form = ComplaintIntakeForm(
        request.POST if request.method == "POST" else None, request.FILES or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_services.complaint_submit(
                data=form.complaint_data(),
                client=f"user:{request.user.pk}",
                channel=Complaint.Channel.FIELD,
                photo=form.cleaned_data.get("photo"),
                actor=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Pengaduan tercatat dengan kode %(code)s; berikan kode ini kepada pelapor.")
                % {"code": complaint.tracking_code},
            )
            return redirect(complaint)
    context = {
        "title": _("Pengaduan atas nama warga"),
        "lead": _("Catat laporan warga tentang orang yang perlu dibantu; tanpa sinyal, dikirim saat tersambung."),
        "back": (reverse("complaints:queue"), _("Pengaduan")),
        "facts": [],
        "form": form,
        "draft_title": _("Pengaduan atas nama warga"),
        "button": _("Catat pengaduan"),
    }
    return _page(request, context)


# --- PPKS proposal with the person chosen offline --------------------------------------------------------------


@login_required
@GET_POST
def propose(request: HttpRequest) -> HttpResponse:
    """The proposal form without a person: pilar/static/pilar/field/pick.js fills the person from the device's
    cached, role-masked list and points the form at the proposal step itself (``registry:ppks_propose``, which
    checks the person and the kelurahan again). A POST here is a submission without a chosen person: refused."""
    user = request.user
    require(user, Perm.PPKS_PROPOSE)
    villages = selectors.villages_in_area(user)
    initial = {"kelurahan": villages.first() if villages.count() == 1 else None}
    form: Any = PpksProposeForm(request.POST if request.method == "POST" else None, user=user, initial=initial)
    form.fields["kelurahan"].queryset = villages
    status = 200
    if request.method == "POST":
        form.is_valid()
        form.add_error("person", _("Pilih orang yang diusulkan dari daftar."))
        status = 400
    context = {"form": form, "categories": form.fields["category"].queryset}
    return TemplateResponse(request, "field/propose.html", context, status=status)
