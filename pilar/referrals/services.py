"""Every change to a referral: one function each, in a transaction, with its event, audit entry and notification.

The steps are declared in ``pilar.referrals.workflow``; each one calls its guard first, which locks the row and
re-reads it: two users of an agency answering the same referral at the same moment, the second one sees the
first one's answer and is refused (``Refused``, 409) instead of overwriting it.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Agency, Role, RoleAssignment, User
from pilar.cases.models import Case
from pilar.core.errors import DomainError, field_error, not_future, required_text
from pilar.core.formatting import tanggal
from pilar.notifications.services import notify
from pilar.referrals.models import Referral, ReferralEvent, ReferralStatus
from pilar.referrals.workflow import REFERRAL

S = ReferralStatus
DEFAULT_ANSWER_DAYS = 3


def answer_days() -> int:
    """Days an agency has to accept or decline (``PILAR_REFERRAL_ANSWER_DAYS``, default 3)."""
    return int(getattr(settings, "PILAR_REFERRAL_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))


def agency_users(agency_id: int) -> list[User]:
    """The agency's users today (role OPD of that agency)."""
    grants = RoleAssignment.objects.current().filter(role=Role.OPD, agency_id=agency_id).select_related("user")
    return [grant.user for grant in grants]


def _event(referral: Referral, actor: User, action: str, old: str, note: str = "") -> None:
    data = {"note": note} if note else None
    audit.record_transition(
        actor, f"referrals.referral.{action}", referral, (old, referral.status), referral.events, data=data, note=note
    )


def _case_workers(referral: Referral) -> list[Any]:
    """Who hears the agency's answer: the sender and the workers assigned to the case today."""
    return [referral.sent_by, *referral.case.assigned.all()]


def _tell_case_workers(referral: Referral, kind: str, title: str) -> None:
    """``title`` names the referral as %(id)s and the agency as %(agency)s.

    The agency's words (reason, outcome) stay in Pilar: they may describe the person, and the
    notification also leaves as an email.
    """
    title = title % {"id": referral.pk, "agency": referral.agency.name}
    body = _("Buka rujukan di Pilar untuk membaca jawaban OPD.")
    notify(recipients=_case_workers(referral), kind=kind, title=title, url=referral.get_absolute_url(), body=body)


def _still_open(agency: Agency) -> ValidationError:
    return field_error("agency", _("Kasus ini masih punya rujukan terbuka ke %(agency)s.") % {"agency": agency.name})


@transaction.atomic
def referral_send(
    *, case: Case, agency: Agency, actor: User, reason: str, contact_phone: str = "", contact_name: str = ""
) -> Referral:
    """Refer ``case`` to ``agency``; the agency's users are told. One open referral per case and agency."""
    reason = required_text("reason", reason, _("Alasan rujukan wajib diisi: apa yang diminta dari OPD tujuan."))
    if not agency.is_active:
        raise field_error("agency", _("OPD tujuan tidak aktif."))
    if not case.is_open:
        raise DomainError(_("Kasus yang sudah ditutup tidak dapat dirujuk."), field="case", code="conflict")
    if Referral.objects.open().filter(case=case, agency=agency).exists():
        raise _still_open(agency)
    now = timezone.now()
    referral = Referral(
        case=case,
        agency=agency,
        status=S.SENT,
        kelurahan_id=case.kelurahan_id,
        kecamatan_id=case.kecamatan_id,
        reason=reason,
        contact_name=(contact_name or str(actor))[:150],
        contact_phone=(contact_phone or getattr(actor, "phone", "") or "").strip()[:30],
        sent_by=actor,
        sent_at=now,
        answer_due=timezone.localdate(now) + timedelta(days=answer_days()),
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:  # the same referral sent at the same moment by someone else
        raise _still_open(agency) from exc
    _event(referral, actor, ReferralEvent.Action.SENT, "", reason)
    notify(
        recipients=agency_users(agency.pk),
        kind="referrals.received",
        title=_("Rujukan baru dari Dinas Sosial: kasus di Kel. %(kel)s") % {"kel": case.kelurahan.name},
        url=referral.get_absolute_url(),
        body=_("Mohon dijawab (diterima atau ditolak) paling lambat %(due)s.") % {"due": tanggal(referral.answer_due)},
    )
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, actor: User, note: str = "") -> Referral:
    referral = REFERRAL.guard("accept", referral, actor)
    referral.status, referral.decided_by, referral.decided_at = S.ACCEPTED, actor, timezone.now()
    referral.save(update_fields=["status", "decided_by", "decided_at"])
    _event(referral, actor, ReferralEvent.Action.ACCEPTED, S.SENT, note.strip())
    _tell_case_workers(referral, "referrals.accepted", _("Rujukan #%(id)s diterima oleh %(agency)s"))
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor: User, reason: str) -> Referral:
    referral = REFERRAL.guard("decline", referral, actor)
    reason = required_text("reason", reason, _("Alasan penolakan wajib diisi."))
    referral.status, referral.decided_by, referral.decided_at = S.DECLINED, actor, timezone.now()
    referral.decline_reason = reason
    referral.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _event(referral, actor, ReferralEvent.Action.DECLINED, S.SENT, reason)
    _tell_case_workers(referral, "referrals.declined", _("Rujukan #%(id)s ditolak oleh %(agency)s"))
    return referral


@transaction.atomic
def referral_process(*, referral: Referral, actor: User, note: str = "") -> Referral:
    referral = REFERRAL.guard("process", referral, actor)
    referral.status, referral.processed_at = S.IN_PROGRESS, timezone.now()
    referral.save(update_fields=["status", "processed_at"])
    _event(referral, actor, ReferralEvent.Action.PROCESSING, S.ACCEPTED, note.strip())
    return referral


@transaction.atomic
def referral_complete(*, referral: Referral, actor: User, outcome: str, completed_on: date) -> Referral:
    """The agency's result; it may skip "diproses" when the service took one visit."""
    referral = REFERRAL.guard("complete", referral, actor)
    outcome = required_text("outcome", outcome, _("Hasil penanganan wajib diisi."))
    not_future("completed_on", completed_on, _("Tanggal selesai tidak boleh di masa depan."))
    if completed_on < timezone.localdate(referral.sent_at):
        raise field_error("completed_on", _("Tanggal selesai tidak boleh sebelum rujukan dikirim."))
    old = referral.status
    referral.status, referral.outcome, referral.completed_on, referral.completed_by = (
        S.COMPLETED,
        outcome,
        completed_on,
        actor,
    )
    referral.save(update_fields=["status", "outcome", "completed_on", "completed_by"])
    _event(referral, actor, ReferralEvent.Action.COMPLETED, old, outcome)
    _tell_case_workers(referral, "referrals.completed", _("Rujukan #%(id)s selesai ditangani %(agency)s"))
    return referral


def _remind(referral: Referral, today: date, recipients: list[User]) -> None:
    referral.reminded_on = today
    referral.save(update_fields=["reminded_on"])
    late = _("Terlambat %(days)d hari.") % {"days": (today - referral.answer_due).days}
    ReferralEvent.objects.create(
        referral=referral,
        action=ReferralEvent.Action.REMINDED,
        from_status=referral.status,
        to_status=referral.status,
        at=timezone.now(),
        note=late,
    )
    due = tanggal(referral.answer_due)
    title = _("Rujukan #%(id)s belum dijawab (batas %(due)s)") % {"id": referral.pk, "due": due}
    if recipients:
        body = _("Kasus di Kel. %(kel)s menunggu jawaban: terima atau tolak dengan alasannya.")
    else:
        # Nobody at the agency uses Pilar yet: the one who sent it follows up by phone or letter.
        recipients = [referral.sent_by]
        body = _("%(agency)s belum punya pengguna Pilar; hubungi OPD tersebut langsung (Kel. %(kel)s).")
    body %= {"kel": referral.kelurahan.name, "agency": referral.agency.name}
    notify(recipients=recipients, kind="referrals.overdue", title=title, url=referral.get_absolute_url(), body=body)


@transaction.atomic
def referrals_remind_overdue(*, today: date | None = None) -> int:
    """Remind each agency of its overdue referrals, at most once per referral per day; returns how many.

    Two runs at the same time (a command and the task) do not remind twice: the rows are locked, and a
    run skips those another run holds (PostgreSQL); ``reminded_on`` then tells it they are done today.
    """
    today = today or timezone.localdate()
    due = (
        Referral.objects.overdue(today)
        .exclude(reminded_on=today)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("agency", "kelurahan", "sent_by")
        .order_by("id")
    )
    users_of: dict[int, list[User]] = {}
    reminded = 0
    for referral in due:
        if referral.agency_id not in users_of:
            users_of[referral.agency_id] = agency_users(referral.agency_id)
        _remind(referral, today, users_of[referral.agency_id])
        reminded += 1
    return reminded
