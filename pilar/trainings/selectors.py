"""Reads of trainings for pages, API and reports, always from the user's scope."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from pilar.accounts.permissions import Perm, can
from pilar.core.access import get_for_user
from pilar.core.listing import ListFilter
from pilar.trainings.models import BASIC_KINDS, Attendance, Event, Participant, Session
from pilar.workers.models import Worker


@dataclass(frozen=True)
class EventFilter(ListFilter):
    q: str = ""
    kind: str = ""
    year: str = ""


def event_list(user: Any, filters: EventFilter = EventFilter()) -> QuerySet[Event]:
    qs = Event.objects.visible_to(user).with_counts(user)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(venue__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year.isdigit():
        qs = qs.filter(start_date__year=int(filters.year))
    return qs.order_by("-start_date", "-id")


def get_event_for_user(user: Any, pk: int, perm: Perm = Perm.TRAINING_VIEW) -> Event:
    """The event if the user may see it (404 otherwise, like a missing one); 403 if seen but not ``perm``."""
    event = get_object_or_404(Event.objects.visible_to(user).with_counts(user), pk=pk)
    if not can(user, perm):
        raise PermissionDenied
    return event


def get_session_for_user(user: Any, pk: int, perm: Perm = Perm.TRAINING_VIEW) -> Session:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    get_event_for_user(user, session.event_id, perm)
    return session


def get_participant_for_user(user: Any, pk: int) -> Participant:
    return get_for_user(
        Participant.objects.visible_to(user).listing().select_related("event", "worker__user"), user, pk
    )


def participants(user: Any, event: Event, *, q: str = "", kecamatan: str = "") -> QuerySet[Participant]:
    qs = Participant.objects.visible_to(user).filter(event=event).listing()
    if q:
        from pilar.identity.search import name_q

        qs = qs.filter(name_q(q, "worker__person__"))
    if kecamatan:
        qs = qs.filter(kecamatan__code=kecamatan)
    return qs


def attended_ids(session: Session, participant_ids: list[int]) -> set[int]:
    """Which of the page's participants attended ``session``: one query for the whole page."""
    rows = Attendance.objects.filter(session=session, participant_id__in=participant_ids)
    return set(rows.values_list("participant_id", flat=True))


def attendance_matrix(event: Event, participant_ids: list[int]) -> dict[int, set[int]]:
    """``{participant_id: {session_id, ...}}`` for a page of participants, in one query."""
    matrix: dict[int, set[int]] = {pk: set() for pk in participant_ids}
    for pid, sid in Attendance.objects.filter(participant_id__in=participant_ids).values_list(
        "participant_id", "session_id"
    ):
        matrix[pid].add(sid)
    return matrix


def counts_per_kecamatan(user: Any, event: Event | None = None) -> list[dict[str, Any]]:
    """Participants, those who attended at least one session, and those who completed, per kecamatan."""
    qs = Participant.objects.visible_to(user)
    if event is not None:
        qs = qs.filter(event=event)
    rows = (
        qs.values("kecamatan__code", "kecamatan__name")
        .annotate(
            invited=Count("id"),
            confirmed=Count("id", filter=Q(response="hadir")),
            attended=Count("id", filter=Q(attended_sessions__gt=0)),
            completed=Count("id", filter=Q(completed=True)),
        )
        .order_by("kecamatan__code")
    )
    return list(rows)


def worker_history(user: Any, worker: Worker) -> QuerySet[Participant]:
    return (
        Participant.objects.visible_to(user)
        .filter(worker=worker)
        .select_related("event", "certificate")
        .order_by("-event__start_date")
    )


def basic_training_done() -> QuerySet[Participant]:
    return Participant.objects.filter(worker=OuterRef("pk"), completed=True, event__kind__in=BASIC_KINDS)


def untrained_workers(user: Any, *, kecamatan: str = "", role: str = "") -> QuerySet[Worker]:
    """Active workers in the user's area with no completed basic training (Permensos 10/2019)."""
    qs = Worker.objects.visible_to(user).active().with_person().filter(~Exists(basic_training_done()))
    if role:
        qs = qs.filter(role=role)
    return qs.filter_area(kecamatan=kecamatan)
