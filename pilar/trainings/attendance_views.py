"""Attendance pages: the operator's list per session (htmx checkboxes, set-wise saves), the projector page
with the code and QR, and the worker's own check-in, invitations and certificates."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.forms import form_page, perform
from pilar.core.htmx import partial_requested
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.regions.selectors import city_kecamatan
from pilar.trainings import attendance, certificates, selectors
from pilar.trainings.forms import CheckInForm, MarkForm
from pilar.trainings.models import Attendance, Participant, Session

LIST_PAGE = 100
GET_POST = require_http_methods(["GET", "POST"])


def _session_rows(request: HttpRequest, session: Session) -> dict[str, Any]:
    filters = {"q": request.GET.get("q", "").strip(), "kecamatan": request.GET.get("kecamatan", "").strip()}
    qs = selectors.participants(request.user, session.event, **filters)
    page = paginate(request, qs, LIST_PAGE, deferred=False)
    present = selectors.attended_ids(session, [p.pk for p in page])
    if page:
        log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, model=Participant, count=len(page))
    return {
        "session": session,
        "event": session.event,
        "page": page,
        "page_range": page_links(page),
        "rows": [{"p": p, "present": p.pk in present} for p in page],
        "shown": ",".join(str(p.pk) for p in page),
        "filters": filters,
        "kecamatan_options": city_kecamatan(),
    }


@login_required
@require_GET
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    context = _session_rows(request, session)
    partial = partial_requested(request, "results")
    return TemplateResponse(
        request, "trainings/attendance.html#results" if partial else "trainings/attendance.html", context
    )


@login_required
@require_POST
def session_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the ticked page (``present`` among ``shown``), or every participant present (``everyone``)."""
    session = selectors.get_session_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    if request.POST.get("everyone"):
        ids = list(Participant.objects.filter(event=session.event).values_list("pk", flat=True))
        present, absent = ids, []
    else:
        shown = [int(x) for x in request.POST.get("shown", "").split(",") if x.strip().isdigit()]
        form = MarkForm(request.POST, participant_ids=shown)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Daftar peserta tidak sah."))
        present = form.cleaned_data["present"]
        absent = sorted(set(shown) - set(present))
        lost = attendance.certificates_lost(session, absent)
        if lost and not request.POST.get("confirmed"):
            # Revoking a certificate is asked first (layout/_confirm.html), with the same list sent again.
            context = {
                "session": session,
                "event": session.event,
                "lost": lost,
                "shown": ",".join(map(str, shown)),
                "present": present,
                "query": request.GET.urlencode(),
            }
            return TemplateResponse(request, "trainings/attendance_confirm.html", context)
    try:
        result = attendance.attendance_mark(session=session, actor=signed_in(request), present=present, absent=absent)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    messages.success(
        request, _("Presensi tersimpan: %(added)s ditandai hadir, %(removed)s dibatalkan.") % result.__dict__
    )
    return redirect(f"{reverse('trainings:attendance', args=[session.pk])}?{request.GET.urlencode()}")


@login_required
@require_POST
def session_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """One checkbox (htmx): saves that participant's presence and answers with the row."""
    session = selectors.get_session_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    raw = request.POST.get("participant", "")
    if not raw.isdigit():
        return HttpResponseBadRequest(_("Peserta tidak dikenal."))
    participant = selectors.get_participant_for_user(request.user, int(raw))
    if participant.event_id != session.event_id:
        raise Http404
    present = bool(request.POST.get("present"))
    if not present and attendance.certificates_lost(session, [participant.pk]):
        # The page offers no instant untick to a certified participant: revoking goes through the save's question.
        return HttpResponse(
            _(
                "Sertifikat peserta ini akan dicabut: batalkan hadirnya lewat tombol Simpan presensi, "
                "yang meminta konfirmasi."
            ),
            status=409,
        )
    attendance.attendance_mark(
        session=session,
        actor=signed_in(request),
        present=[participant.pk] if present else [],
        absent=[] if present else [participant.pk],
    )
    participant.refresh_from_db(fields=["attended_sessions", "completed"])
    row = {"p": participant, "present": present}
    return TemplateResponse(request, "trainings/attendance.html#row", {"row": row, "session": session})


@login_required
@require_GET
def session_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """For the projector at the venue: the event's code and the session's check-in QR."""
    session = selectors.get_session_for_user(request.user, pk, Perm.TRAINING_MANAGE)
    url = request.build_absolute_uri(reverse("trainings:checkin_qr", args=[attendance.qr_token(session)]))
    context = {"session": session, "event": session.event, "qr": certificates.qr_svg(url), "url": url}
    return TemplateResponse(request, "trainings/screen.html", context)


@login_required
@GET_POST
def check_in(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TRAINING_CHECKIN)
    form = CheckInForm(request.POST or None, sessions=_today_sessions_for(request.user))
    done = perform(
        request,
        form,
        lambda: attendance.check_in_by_code(
            code=form.cleaned_data["code"], user=signed_in(request), session_id=form.cleaned_data["session"]
        ),
    )
    if done:
        return _checked_in(request, *done)
    return form_page(request, "trainings/checkin.html", {"form": form})


def _today_sessions_for(user: Any) -> list[Session]:
    return list(
        Session.objects.filter(date=timezone.localdate(), event__participants__worker__user=user)
        .select_related("event")
        .distinct()
    )


def _checked_in(request: HttpRequest, row: Attendance, created: bool) -> HttpResponse:
    text = _("Kehadiran tercatat: %(s)s.") if created else _("Kehadiran Anda pada %(s)s sudah tercatat sebelumnya.")
    messages.success(request, text % {"s": f"{row.session.event} — {row.session.name}"})
    return redirect("trainings:mine")


@login_required
@GET_POST
def check_in_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The page a scanned QR opens: GET shows what will be recorded, POST records it (no change on GET)."""
    require(request.user, Perm.TRAINING_CHECKIN)
    error = None
    try:
        session = attendance.session_from_token(token)
    except DomainError as exc:
        return TemplateResponse(request, "trainings/checkin_qr.html", {"error": exc.message}, status=400)
    if request.method == "POST":
        try:
            row, created = attendance.attendance_check_in(
                session=session, user=signed_in(request), method=Attendance.Method.QR
            )
        except DomainError as exc:
            error = exc.message
        else:
            return _checked_in(request, row, created)
    status = 400 if error else 200
    return TemplateResponse(request, "trainings/checkin_qr.html", {"session": session, "error": error}, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The worker's own invitations, attendance and certificates."""
    return mine_page(request)


def mine_page(request: HttpRequest, participant: Any = None, failed: Any = None, status: int = 200) -> HttpResponse:
    """The worker's invitations; also the page a refused answer (``PARTICIPANT``'s "respond") is said on."""
    require(request.user, Perm.TRAINING_CHECKIN)
    rows = (
        Participant.objects.filter(worker__user=signed_in(request))  # behind @login_required, as its callers are
        .select_related("event", "certificate")
        .order_by("-event__start_date")
    )
    context = {"rows": rows, "today": timezone.localdate()}
    return TemplateResponse(request, "trainings/mine.html", context, status=status)


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.get_participant_for_user(request.user, pk)
    cert = getattr(participant, "certificate", None) if participant.completed else None
    if cert is None or not cert.is_valid:
        raise Http404
    log_personal_access(request, channel=PersonalDataAccess.Channel.EXPORT, obj=participant)
    url = request.build_absolute_uri(cert.get_absolute_url())
    pdf = certificates.render_pdf(cert, verify_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{cert.code}.pdf"'
    return response
