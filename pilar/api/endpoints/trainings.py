"""``/api/v1/trainings``: the same forms, selectors and services as the training pages."""

from datetime import date
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, can, require
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import LoggedPage, Page
from pilar.api.workflow import step_routes
from pilar.trainings import attendance, selectors, services
from pilar.trainings.forms import EventForm, InviteForm
from pilar.trainings.models import Event, Participant
from pilar.trainings.workflow import PARTICIPANT

router = Router(tags=["pelatihan"])


class TrainingOut(Schema):
    id: int
    title: str
    kind: str
    start_date: date
    end_date: date
    venue: str
    capacity: int | None
    participant_count: int
    attended_count: int
    completed_count: int


class SessionOut(Schema):
    id: int
    name: str
    date: date


class KecamatanCount(Schema):
    kecamatan: str
    kecamatan_name: str
    invited: int
    confirmed: int
    attended: int
    completed: int


class TrainingDetailOut(TrainingOut):
    organiser: str
    speakers: list[str]
    topics: list[str]
    target_group: str
    completion_percent: int
    checkin_code: str | None
    sessions: list[SessionOut]
    per_kecamatan: list[KecamatanCount]


class SessionMark(Schema):
    session_id: int
    present: bool


class ParticipantOut(Schema):
    id: int
    worker_id: int
    name: str
    role: str
    kecamatan: str
    kelurahan: str | None
    response: str
    attended_sessions: int
    completed: bool
    certificate_code: str | None
    sessions: list[SessionMark]


@query_of(selectors.EventFilter)
class EventFilterIn(Schema):
    """The list's query parameters: the fields of ``EventFilter``, which the list page reads too."""


class MarkIn(Schema):
    session: int
    present: list[int] = []
    absent: list[int] = []


class CheckInIn(Schema):
    code: str
    session: int | None = None


def _event(event: Event) -> dict[str, Any]:
    return {f: getattr(event, f) for f in TrainingOut.model_fields} | {"id": event.pk}


def _detail(request, event: Event) -> dict[str, Any]:
    per_kecamatan = [
        {"kecamatan": r["kecamatan__code"], "kecamatan_name": r["kecamatan__name"]}
        | {k: r[k] for k in ("invited", "confirmed", "attended", "completed")}
        for r in selectors.counts_per_kecamatan(request.user, event)
    ]
    return _event(event) | {
        "organiser": event.organiser,
        "speakers": [s for s in event.speakers.splitlines() if s.strip()],
        "topics": [t for t in event.topics.splitlines() if t.strip()],
        "target_group": event.target_group,
        "completion_percent": event.completion_percent,
        "checkin_code": event.checkin_code if can(request.user, Perm.TRAINING_MANAGE) else None,
        "sessions": [{"id": s.pk, "name": s.name, "date": s.date} for s in event.sessions.all()],
        "per_kecamatan": per_kecamatan,
    }


@router.get("/", response=list[TrainingOut])
@paginate(Page)
def list_trainings(request, filters: Query[EventFilterIn]):
    """Pelatihan yang boleh dilihat pengguna, dengan jumlah peserta, yang hadir (min. satu sesi) dan yang lulus
    di antara peserta dalam wilayah pengguna."""
    require(request.user, Perm.TRAINING_VIEW)
    return selectors.event_list(request.user, selectors.EventFilter(**filters.dict()))


@router.post("/", response={201: TrainingDetailOut}, openapi_extra=form_body(EventForm))
def create_training(request, payload: Body[dict[str, Any]]):
    """Buat pelatihan; satu sesi per hari dibuat otomatis."""
    require(request.user, Perm.TRAINING_MANAGE)
    form = valid_form(EventForm, payload)
    event = services.event_create(actor=request.user, **form.service_kwargs())
    return Status(201, _detail(request, selectors.get_event_for_user(request.user, event.pk)))


@router.get("/{event_id}/", response=TrainingDetailOut)
def get_training(request, event_id: int):
    return _detail(request, selectors.get_event_for_user(request.user, event_id))


def _participant(p: Participant, sessions: list[int], attended: set[int]) -> dict[str, Any]:
    cert = getattr(p, "certificate", None)
    return {
        "id": p.pk,
        "worker_id": p.worker_id,
        "name": p.worker.person.name,
        "role": p.role,
        "kecamatan": p.kecamatan.code,
        "kelurahan": p.kelurahan.code if p.kelurahan is not None else None,
        "response": p.response,
        "attended_sessions": p.attended_sessions,
        "completed": p.completed,
        "certificate_code": cert.code if cert and cert.is_valid else None,
        "sessions": [{"session_id": s, "present": s in attended} for s in sessions],
    }


class AttendancePage(LoggedPage):
    """One page of participants with their attendance per session, loaded in one query for the page."""

    def __init__(self, request, qs, event: Event):
        super().__init__(request, qs, render=self._render, unmasked=False, prepare=self._prepare)
        self.event = event
        self.sessions: list[int] = []
        self.matrix: dict[int, set[int]] = {}

    def _prepare(self, rows: list[Participant]) -> None:
        self.sessions = list(self.event.sessions.values_list("pk", flat=True))
        self.matrix = selectors.attendance_matrix(self.event, [p.pk for p in rows])

    def _render(self, request: Any, p: Participant) -> dict[str, Any]:
        return _participant(p, self.sessions, self.matrix[p.pk])


@router.get("/{event_id}/attendance/", response=list[ParticipantOut])
@paginate(Page)
def list_attendance(request, event_id: int, q: str = "", kecamatan: str = ""):
    """Peserta dalam wilayah pengguna dengan kehadiran per sesi (PSM: hanya dirinya sendiri)."""
    event = selectors.get_event_for_user(request.user, event_id)
    return AttendancePage(request, selectors.participants(request.user, event, q=q, kecamatan=kecamatan), event)


@router.post("/{event_id}/attendance/", openapi_extra={"summary": "Catat kehadiran satu sesi (daftar operator)"})
def mark_attendance(request, event_id: int, payload: MarkIn):
    event = selectors.get_event_for_user(request.user, event_id, Perm.TRAINING_MANAGE)
    session = get_object_or_404(event.sessions, pk=payload.session)
    result = attendance.attendance_mark(
        session=session, actor=request.user, present=payload.present, absent=payload.absent
    )
    return {"added": result.added, "removed": result.removed}


@router.post("/{event_id}/invite", openapi_extra=form_body(InviteForm))
def invite(request, event_id: int, payload: Body[dict[str, Any]]):
    """Undang semua pekerja aktif menurut sasaran; yang sudah diundang dilewati. Melebihi kapasitas: 409."""
    event = selectors.get_event_for_user(request.user, event_id, Perm.TRAINING_MANAGE)
    form = valid_form(InviteForm, payload)
    result = services.participants_invite(
        event=event, actor=request.user, target=form.cleaned_data["target"], region=form.region()
    )
    return {"invited": result.invited, "already": result.already}


@router.post("/check-in")
def check_in(request, payload: CheckInIn):
    """Presensi mandiri dengan kode pelatihan, hanya pada tanggal sesi dan hanya bagi peserta yang diundang."""
    require(request.user, Perm.TRAINING_CHECKIN)
    row, created = attendance.check_in_by_code(code=payload.code, user=request.user, session_id=payload.session)
    return {"session": row.session_id, "participant": row.participant_id, "created": created}


class RespondOut(Schema):
    id: int
    response: str


# participants/{id}/respond: the step of the declaration.
step_routes(
    router,
    PARTICIPANT,
    id_param="participant_id",
    noun="participant",
    load=selectors.get_participant_for_user,
    detail=lambda request, participant: {"id": participant.pk, "response": participant.response},
    response=RespondOut,
    module=__name__,
    path_prefix="/participants",
)
