"""Every change to a training event and its invitations: one function each, in a transaction, audited.

Attendance, completion and certificates are in ``pilar.trainings.attendance``.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core.errors import DomainError
from pilar.notifications.services import notify
from pilar.regions.models import Region
from pilar.trainings.models import Event, Material, Participant, Response, Session
from pilar.workers.models import Worker
from pilar.workers.querysets import WorkerQuerySet

# No 0/O, 1/I/L: the code is read off a projector screen and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
EVENT_FIELDS = (
    "kind",
    "title",
    "start_date",
    "end_date",
    "venue",
    "organiser",
    "speakers",
    "topics",
    "target_group",
    "capacity",
    "completion_percent",
    "signatory_name",
    "signatory_nip",
)
MAX_DAYS = 31


class Target:
    """Who an invitation goes to; every target takes only workers active today."""

    PSM_KECAMATAN = "psm_kecamatan"
    PSM_KELURAHAN = "psm_kelurahan"
    PSM_ALL = "psm_semua"
    TKSK_ALL = "tksk_semua"
    EVERYONE = "semua"

    NEEDS_REGION = {PSM_KECAMATAN: "kecamatan", PSM_KELURAHAN: "kelurahan"}

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [
            (Target.PSM_KECAMATAN, _("Semua PSM aktif di satu kecamatan")),
            (Target.PSM_KELURAHAN, _("Semua PSM aktif di satu kelurahan")),
            (Target.PSM_ALL, _("Semua PSM aktif")),
            (Target.TKSK_ALL, _("Semua TKSK aktif")),
            (Target.EVERYONE, _("Semua PSM dan TKSK aktif")),
        ]


@dataclass(frozen=True)
class InviteResult:
    invited: int
    already: int


def new_code(length: int = 6) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))
        if not Event.objects.filter(checkin_code=code).exists():
            return code


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="end_date")
    if (end - start).days >= MAX_DAYS:
        raise DomainError(_("Satu pelatihan paling lama %(n)s hari.") % {"n": MAX_DAYS}, field="end_date")


@transaction.atomic
def event_create(*, actor: User, sessions: list[tuple[str, date]] | None = None, **fields: Any) -> Event:
    """A new event; without named sessions, one session per day ("Hari 1", "Hari 2", ...)."""
    _check_dates(fields["start_date"], fields["end_date"])
    event = Event(**{k: v for k, v in fields.items() if k in EVENT_FIELDS}, created_by=actor, checkin_code=new_code())
    event.save()
    days = (event.end_date - event.start_date).days + 1
    planned = sessions or [(_("Hari %(n)s") % {"n": i + 1}, event.start_date + timedelta(days=i)) for i in range(days)]
    for order, (name, day) in enumerate(planned, start=1):
        _check_session_day(event, day)
        Session.objects.create(event=event, name=name, date=day, order=order)
    audit.record_created(actor, "trainings.event.created", event, EVENT_FIELDS)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: User, data: dict[str, Any]) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = audit.snapshot(event, EVENT_FIELDS)
    for field, value in data.items():
        if field in EVENT_FIELDS:
            setattr(event, field, value)
    _check_dates(event.start_date, event.end_date)
    if event.sessions.filter(Q(date__lt=event.start_date) | Q(date__gt=event.end_date)).exists():
        raise DomainError(_("Ada sesi di luar tanggal pelatihan yang baru; ubah sesinya dahulu."), field="start_date")
    capacity = event.capacity
    if capacity is not None and event.participants.count() > capacity:
        raise DomainError(_("Kapasitas lebih kecil dari jumlah peserta yang sudah diundang."), field="capacity")
    event.save()
    changes = audit.diff(before, audit.snapshot(event, EVENT_FIELDS))
    audit.record(actor, "trainings.event.updated", event, changes=changes)
    if "completion_percent" in changes:
        from pilar.trainings.attendance import refresh_completion

        refresh_completion(event=event, participant_ids=None, actor=actor)
    return event


def _check_session_day(event: Event, day: date) -> None:
    if not event.start_date <= day <= event.end_date:
        raise DomainError(_("Tanggal sesi harus di antara tanggal mulai dan selesai pelatihan."), field="date")


@transaction.atomic
def session_add(*, event: Event, actor: User, name: str, day: date) -> Session:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_session_day(event, day)
    if event.sessions.filter(name=name).exists():
        raise DomainError(_("Nama sesi ini sudah dipakai pada pelatihan ini."), field="name")
    session = Session.objects.create(event=event, name=name, date=day, order=event.sessions.count() + 1)
    audit.record(actor, "trainings.session.added", event, data={"session": name, "date": day})
    # One more session changes who has attended enough of them.
    from pilar.trainings.attendance import refresh_completion

    refresh_completion(event=event, participant_ids=None, actor=actor)
    return session


@transaction.atomic
def material_add(*, event: Event, actor: User, title: str, upload: Any, content_type: str) -> Material:
    material = Material(event=event, title=title, content_type=content_type, size=upload.size, uploaded_by=actor)
    material.file.save(upload.name, upload, save=False)
    material.save()
    audit.record(actor, "trainings.material.added", event, data={"title": title, "size": upload.size})
    return material


def _candidates(actor: User, target: str, region: Region | None) -> WorkerQuerySet:
    workers = Worker.objects.visible_to(actor).active()
    if target in Target.NEEDS_REGION and region is None:
        raise DomainError(_("Pilih wilayahnya."), field=Target.NEEDS_REGION[target])
    if target == Target.PSM_KECAMATAN:
        return workers.psm().filter(kecamatan=region)
    if target == Target.PSM_KELURAHAN:
        return workers.psm().filter(kelurahan=region)
    if target == Target.PSM_ALL:
        return workers.psm()
    if target == Target.TKSK_ALL:
        return workers.tksk()
    if target == Target.EVERYONE:
        return workers
    raise DomainError(_("Sasaran undangan tidak dikenal."), field="target")


@transaction.atomic
def participants_invite(*, event: Event, actor: User, target: str, region: Region | None = None) -> InviteResult:
    """Invite every active worker the target names; those invited before are skipped (idempotent).

    The event row is locked so that two operators inviting at once cannot overfill it."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    candidates = dict(_candidates(actor, target, region).values_list("pk", "user_id"))
    existing = set(event.participants.filter(worker_id__in=candidates).values_list("worker_id", flat=True))
    new_ids = sorted(set(candidates) - existing)
    current = event.participants.count()
    if event.capacity is not None and current + len(new_ids) > event.capacity:
        raise DomainError(
            _(
                "Kapasitas pelatihan %(cap)s orang; sudah %(current)s diundang, dan undangan ini menambah "
                "%(new)s orang. Sisa tempat: %(left)s. Pilih sasaran yang lebih kecil atau naikkan kapasitas."
            )
            % {"cap": event.capacity, "current": current, "new": len(new_ids), "left": event.capacity - current},
            field="target",
            code="capacity",
        )
    areas = Worker.objects.filter(pk__in=new_ids).values_list("pk", "role", "kecamatan_id", "kelurahan_id")
    Participant.objects.bulk_create(
        [
            Participant(event=event, worker_id=pk, role=role, kecamatan_id=kec, kelurahan_id=kel, invited_by=actor)
            for pk, role, kec, kel in areas
        ],
        batch_size=1000,
    )
    if new_ids:
        from pilar.trainings.attendance import refresh_completion

        data = {"target": target, "region": region, "invited": len(new_ids), "workers": new_ids}
        audit.record(actor, "trainings.participants.invited", event, data=data)
        refresh_completion(event=event, participant_ids=None, actor=actor)
        _notify_invited(event, [candidates[pk] for pk in new_ids])
    return InviteResult(invited=len(new_ids), already=len(existing))


def _notify_invited(event: Event, user_ids: list[int | None]) -> None:
    from pilar.accounts.models import User

    users = User.objects.filter(pk__in=[pk for pk in user_ids if pk])
    notify(
        recipients=users,
        kind="trainings.invited",
        title=_("Undangan pelatihan: %(title)s") % {"title": event.title},
        url=reverse("trainings:mine"),
        body=_("%(venue)s, mulai %(day)s. Mohon konfirmasi kehadiran di Pilar.")
        % {"venue": event.venue, "day": event.start_date.isoformat()},
    )


@transaction.atomic
def participant_respond(*, participant: Participant, actor: User, response: str) -> Participant:
    """The invited worker answers: will attend, or cannot (``PARTICIPANT``'s guard: theirs, before the end)."""
    from pilar.trainings.workflow import PARTICIPANT  # noqa: PLC0415  (the declaration's form reads this module)

    participant = PARTICIPANT.guard("respond", participant, actor)
    if response not in (Response.YES, Response.NO):
        raise DomainError(_("Jawaban tidak dikenal."), field="response")
    before = participant.response
    participant.response, participant.responded_at = response, timezone.now()
    participant.save(update_fields=["response", "responded_at", "updated_at"])
    audit.record(actor, "trainings.participant.responded", participant, changes={"response": [before, response]})
    return participant
