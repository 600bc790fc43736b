"""Attendance per session, the completion rule, and the certificates that follow from it.

Marking is set-wise: a list of 1,000 participants is saved with one insert and one delete, and
completion is recomputed from the attendance rows (never incremented), so two people marking the same
list at once still leave the right counts. The participant rows are locked in id order while that runs.
"""

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core.errors import DomainError
from pilar.notifications.services import notify
from pilar.trainings.models import Attendance, Certificate, Event, Participant, Session

CERT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QR_SALT = "pilar.trainings.checkin"


@dataclass(frozen=True)
class MarkResult:
    added: int
    removed: int


def certificate_code() -> str:
    """16 characters from a 31-letter alphabet (about 79 bits): unguessable, and easy to type."""
    raw = "".join(secrets.choice(CERT_ALPHABET) for _i in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def needed_sessions(total: int, percent: int) -> int:
    return math.ceil(total * percent / 100) if total else 0


def refresh_completion(*, event: Event, participant_ids: Iterable[int] | None, actor: User) -> None:
    """Recount attended sessions, apply the completion rule, issue or revoke certificates (bulk)."""
    total = event.sessions.count()
    need = needed_sessions(total, event.completion_percent)
    chosen = Participant.objects.filter(event=event)
    if participant_ids is not None:
        chosen = chosen.filter(pk__in=list(participant_ids))
    rows = list(chosen.select_related("certificate"))
    counts = dict(
        Attendance.objects.filter(participant__in=[p.pk for p in rows])
        .values("participant_id")
        .annotate(n=Count("id"))
        .values_list("participant_id", "n")
    )
    changed: list[Participant] = []
    now = timezone.now()
    issue: list[Certificate] = []
    revoke: list[int] = []
    restore: list[int] = []
    for p in rows:
        attended = counts.get(p.pk, 0)
        completed = total > 0 and attended >= need
        if (attended, completed) != (p.attended_sessions, p.completed):
            p.attended_sessions, p.completed = attended, completed
            changed.append(p)
        cert = _certificate_of(p)
        if cert is None:
            if completed:
                issue.append(Certificate(participant=p, code=certificate_code(), issued_at=now))
        elif completed and not cert.is_valid:
            restore.append(cert.pk)
        elif not completed and cert.is_valid:
            revoke.append(cert.pk)
    Participant.objects.bulk_update(changed, ["attended_sessions", "completed"], batch_size=500)
    Certificate.objects.bulk_create(issue, batch_size=1000)
    Certificate.objects.filter(pk__in=revoke).update(revoked_at=now)
    Certificate.objects.filter(pk__in=restore).update(revoked_at=None, issued_at=now)
    if issue:
        _notify_issued(event, [c.participant_id for c in issue])
    if issue or revoke or restore:
        audit.record(
            actor,
            "trainings.certificates.updated",
            event,
            data={"issued": len(issue), "revoked": len(revoke), "restored": len(restore)},
        )


def _notify_issued(event: Event, participant_ids: list[int]) -> None:
    from pilar.accounts.models import User

    notify(
        recipients=User.objects.filter(worker__training_participations__in=participant_ids),
        kind="trainings.certificate_issued",
        title=_("Sertifikat pelatihan tersedia: %(title)s") % {"title": event.title},
        url=reverse("trainings:mine"),
    )


def _certificate_of(participant: Participant) -> Certificate | None:
    try:
        return participant.certificate
    except Certificate.DoesNotExist:
        return None


def _lock(event: Event, ids: Iterable[int]) -> list[int]:
    """Lock the named participants of ``event`` (in id order, so two markers never deadlock)."""
    return list(
        Participant.objects.select_for_update(of=("self",))
        .filter(event=event, pk__in=list(ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def attendance_mark(
    *,
    session: Session,
    actor: User,
    present: Iterable[int] = (),
    absent: Iterable[int] = (),
    method: str = Attendance.Method.OPERATOR,
) -> MarkResult:
    """The operator's list: ``present`` participants attended ``session``, ``absent`` did not."""
    attended, missed = set(present), set(absent) - set(present)
    event = session.event
    locked = set(_lock(event, attended | missed))
    unknown = (attended | missed) - locked
    if unknown:
        raise DomainError(_("Sebagian peserta tidak terdaftar pada pelatihan ini."), field="participants")
    already = set(
        Attendance.objects.filter(session=session, participant_id__in=attended).values_list("participant_id", flat=True)
    )
    new = [
        Attendance(participant_id=pk, session=session, method=method, recorded_by=actor)
        for pk in sorted(attended - already)
    ]
    Attendance.objects.bulk_create(new, batch_size=1000)
    removed, _by_model = Attendance.objects.filter(session=session, participant_id__in=missed).delete()
    if new or removed:
        audit.record(
            actor,
            "trainings.attendance.marked",
            event,
            data={"session": session.name, "present": len(new), "absent": removed},
        )
        refresh_completion(event=event, participant_ids=locked, actor=actor)
    return MarkResult(added=len(new), removed=removed)


def certificates_lost(session: Session, absent: Iterable[int]) -> list[Participant]:
    """Who would lose a valid certificate if marked absent from ``session`` (asked before it is done)."""
    event = session.event
    need = needed_sessions(event.sessions.count(), event.completion_percent)
    return list(
        Participant.objects.filter(
            event=event,
            pk__in=list(absent),
            attendances__session=session,
            certificate__revoked_at__isnull=True,
            attended_sessions__lte=need,
        )
        .select_related("worker__person")
        .order_by("pk")
    )


def today_sessions(event: Event) -> list[Session]:
    return list(event.sessions.filter(date=timezone.localdate()))


@transaction.atomic
def attendance_check_in(*, session: Session, user: User, method: str) -> tuple[Attendance, bool]:
    """The logged-in worker checks in to ``session`` themself, on its day only. Returns (row, created)."""
    event = session.event
    today = timezone.localdate()
    if session.date != today:
        raise DomainError(
            _("Presensi sesi ini hanya dibuka pada tanggal sesinya (%(day)s).") % {"day": session.date.isoformat()},
            code="closed",
        )
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .filter(event=event, worker__user_id=user.pk)
        .order_by("pk")
        .first()
    )
    if participant is None:
        raise DomainError(_("Anda tidak terdaftar sebagai peserta pelatihan ini."), code="not_invited")
    row, created = Attendance.objects.get_or_create(
        participant=participant, session=session, defaults={"method": method, "recorded_by": user}
    )
    if created:
        data = {"session": session.name, "method": method}
        audit.record(user, "trainings.attendance.checked_in", participant, data=data)
        refresh_completion(event=event, participant_ids=[participant.pk], actor=user)
    return row, created


def check_in_by_code(*, code: str, user: User, session_id: int | None = None) -> tuple[Attendance, bool]:
    """Check in with the code shown at the venue; with several sessions today the worker picks one."""
    event = Event.objects.filter(checkin_code=(code or "").strip().upper().replace(" ", "")).first()
    if event is None:
        raise DomainError(_("Kode presensi tidak dikenal. Periksa lagi kode yang ditampilkan panitia."), field="code")
    sessions = today_sessions(event)
    if not sessions:
        raise DomainError(
            _("Presensi pelatihan ini hanya dibuka pada tanggal pelatihan (%(start)s s.d. %(end)s).")
            % {"start": event.start_date.isoformat(), "end": event.end_date.isoformat()},
            field="code",
        )
    if session_id is None and len(sessions) > 1:
        raise DomainError(_("Hari ini ada beberapa sesi; pilih sesi yang Anda ikuti."), field="session")
    session = sessions[0] if session_id is None else next((s for s in sessions if s.pk == session_id), None)
    if session is None:
        raise DomainError(_("Sesi ini tidak berlangsung hari ini."), field="session")
    return attendance_check_in(session=session, user=user, method=Attendance.Method.CODE)


def qr_token(session: Session) -> str:
    """The signed part of a session's check-in URL: it cannot be forged for another session."""
    return signing.dumps({"s": session.pk}, salt=QR_SALT, compress=True)


def session_from_token(token: str) -> Session:
    try:
        data = signing.loads(token, salt=QR_SALT)
        return Session.objects.select_related("event").get(pk=int(data["s"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Session.DoesNotExist) as exc:
        raise DomainError(_("Kode QR tidak sah atau sudah tidak berlaku."), code="bad_token") from exc
