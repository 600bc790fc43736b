"""Every change to an enrollment: one function each, in a transaction, with its event and audit entry.

diusulkan → disetujui (within the period's quota) or ditolak (reason) → disalurkan (date, amount or item)
→ selesai; an approved or delivered beneficiary may leave (keluar, with date and reason). Nobody approves their
own proposal. Bedah Rumah enrollments are approved on an RTLH house assessment and delivered by the
renovation (``house_assess``, ``house_renovate`` below).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core import uploads
from pilar.core.errors import chosen, field_error, not_future, required_text
from pilar.notifications.services import notify
from pilar.programs import eligibility, house
from pilar.programs.models import (
    Enrollment,
    EnrollmentExitReason,
    EnrollmentStatus,
    HouseAssessment,
    HousePhoto,
    Program,
    ProgramPeriod,
)
from pilar.programs.periods import judged_on, period_for, quota_taken
from pilar.programs.workflow import ENROLLMENT, NOT_DELIVERED_HERE
from pilar.registry.models import ExitReason, PpksRecord, PpksStatus
from pilar.registry.services import ppks_exit

S = EnrollmentStatus


# --- helpers ------------------------------------------------------------------------------------


def _event(enrollment: Enrollment, actor: User, action: str, old: str, reason: str = "", **data: Any) -> None:
    status = (old, enrollment.status)
    audit.record_transition(
        actor,
        f"programs.enrollment.{action}",
        enrollment,
        status,
        enrollment.events,
        data={"reason": reason, **data},
        reason=reason,
    )


def _subject(program: Program, record: PpksRecord) -> dict[str, Any]:
    """One subject per enrollment, so that "once per program and period" has one meaning."""
    if program.subject == Program.Subject.FAMILY or record.person_id is None:
        return {"household": record.household, "person": None}
    return {"person": record.person, "household": None}


def _duplicate_message(program: Program, period: ProgramPeriod, existing: Enrollment | None = None) -> str:
    status = existing.get_status_display() if existing else ""
    return _("Sudah terdaftar di program %(p)s periode %(k)s%(s)s. Satu penerima hanya sekali per periode.") % {
        "p": program.name,
        "k": period.key,
        "s": f" ({status})" if status else "",
    }


def require_rtlh_assessment(enrollment: Enrollment) -> HouseAssessment:
    """A Bedah Rumah place goes only to a house assessed as uninhabitable."""
    assessment = HouseAssessment.objects.filter(enrollment=enrollment).first()
    if assessment is None:
        raise field_error("__all__", _("Rumah belum dinilai. Isi penilaian rumah sebelum menyetujui."), code="conflict")
    if not assessment.is_rtlh:
        message = _("Rumah dinilai layak huni; tidak dapat disetujui untuk Bedah Rumah.")
        raise field_error("__all__", message, code="conflict")
    return assessment


# --- the workflow -------------------------------------------------------------------------------


@transaction.atomic
def enrollment_propose(
    *, actor: User, program: Program, record: PpksRecord, period: str = "", note: str = ""
) -> Enrollment:
    """Propose ``record``'s subject for ``program`` in ``period`` (default: the current one)."""
    period_row = period_for(program, period)
    reasons = eligibility.failures(program, record, on=judged_on(period_row))
    if reasons:
        raise ValidationError({"record": reasons})
    subject = _subject(program, record)
    existing = (
        Enrollment.objects.filter(program=program, period=period_row, **subject).exclude(status=S.REJECTED).first()
    )
    if existing is not None:
        raise field_error("record", _duplicate_message(program, period_row, existing), code="duplicate")
    enrollment = Enrollment(
        program=program,
        period=period_row,
        record=record,
        kecamatan_id=record.kecamatan_id,
        kelurahan_id=record.kelurahan_id,
        proposed_by=actor,
        proposed_at=timezone.now(),
        note=note.strip(),
        **subject,
    )
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as exc:  # a concurrent proposal of the same subject won
        raise field_error("record", _duplicate_message(program, period_row), code="duplicate") from exc
    _event(enrollment, actor, "proposed", "", note.strip(), period=period_row.key)
    return enrollment


@transaction.atomic
def enrollment_approve(*, enrollment: Enrollment, actor: User, note: str = "") -> Enrollment:
    """Approve within the quota. The period row is locked first, so concurrent approvals queue behind it."""
    period = ProgramPeriod.objects.select_for_update().get(pk=enrollment.period_id)
    enrollment = ENROLLMENT.guard("approve", enrollment, actor)  # proposed, by someone else than its proposer
    program = enrollment.program
    if program.kind == Program.Kind.HOUSE:
        require_rtlh_assessment(enrollment)
    reasons = eligibility.failures(program, PpksRecord.objects.get(pk=enrollment.record_id), on=judged_on(period))
    if reasons:  # the record may have changed since the proposal
        raise ValidationError({"record": reasons})
    if period.quota is not None and quota_taken(period) >= period.quota:
        message = _("Kuota %(p)s periode %(k)s sudah penuh (%(q)s penerima).")
        raise field_error("__all__", message % {"p": program.name, "k": period.key, "q": period.quota}, code="quota")
    old = enrollment.status
    enrollment.status, enrollment.decided_by, enrollment.decided_at = S.APPROVED, actor, timezone.now()
    enrollment.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _event(enrollment, actor, "approved", old, note.strip())
    if program.kind == Program.Kind.HOUSE:
        HouseAssessment.objects.filter(enrollment=enrollment).update(status=HouseAssessment.Status.APPROVED)
    _tell_proposer(enrollment, "approved", _("Usulan %(p)s disetujui: %(s)s"))
    return enrollment


@transaction.atomic
def enrollment_reject(*, enrollment: Enrollment, actor: User, reason: str) -> Enrollment:
    reason = required_text("reason", reason, _("Alasan wajib diisi."))
    enrollment = ENROLLMENT.guard("reject", enrollment, actor)
    old = enrollment.status
    enrollment.status, enrollment.decided_by, enrollment.decided_at = S.REJECTED, actor, timezone.now()
    enrollment.reject_reason = reason
    enrollment.save(update_fields=["status", "decided_by", "decided_at", "reject_reason", "updated_at"])
    _event(enrollment, actor, "rejected", old, reason)
    HouseAssessment.objects.filter(enrollment=enrollment).update(status=HouseAssessment.Status.REJECTED)
    _tell_proposer(enrollment, "rejected", _("Usulan %(p)s ditolak: %(s)s"), body=reason)
    return enrollment


def _tell_proposer(enrollment: Enrollment, what: str, title: str, body: str = "") -> None:
    # A name, never the KK number: notifications are plain text and not filtered by the visibility table.
    # (a null household key is None without a query)
    person = enrollment.person or (h.head if (h := enrollment.household) is not None else None)
    subject = person.name if person else enrollment.household
    notify(
        recipients=[enrollment.proposed_by],
        kind=f"programs.enrollment.{what}",
        title=title % {"p": enrollment.program.name, "s": subject},
        url=enrollment.get_absolute_url(),
        body=body,
    )


@transaction.atomic
def enrollment_deliver(
    *, enrollment: Enrollment, actor: User, on: date, amount: Decimal | None = None, item: str = "", note: str = ""
) -> Enrollment:
    """The aid reached the beneficiary: cash with its amount (whole rupiah), goods or a service with what it was."""
    if enrollment.program.kind == Program.Kind.HOUSE:
        raise field_error("__all__", str(NOT_DELIVERED_HERE), code="conflict")
    enrollment = ENROLLMENT.guard("deliver", enrollment, actor)
    return deliver_locked(enrollment, actor, on=on, amount=amount, item=item, note=note)


def deliver_locked(
    enrollment: Enrollment, actor: User, *, on: date, amount: Decimal | None, item: str, note: str
) -> Enrollment:
    program = enrollment.program
    not_future("on", on, _("Tanggal tidak boleh di masa depan."))
    if on < enrollment.period.starts_on:
        raise field_error("on", _("Tanggal penyaluran sebelum awal periode %(k)s.") % {"k": enrollment.period.key})
    if amount is None and program.kind == Program.Kind.CASH:
        amount = program.default_amount
        if amount is None:
            raise field_error("amount", _("Nilai bantuan tunai wajib diisi."))
    if amount is not None and (amount < 0 or amount != amount.to_integral_value()):
        raise field_error("amount", _("Nilai dalam rupiah utuh, tidak negatif."))
    if program.kind == Program.Kind.GOODS and not item.strip():
        item = program.benefit
        if not item:
            raise field_error("item", _("Barang yang disalurkan wajib diisi."))
    old = enrollment.status
    enrollment.status, enrollment.delivered_on, enrollment.amount, enrollment.item = S.DELIVERED, on, amount, item
    enrollment.save(update_fields=["status", "delivered_on", "amount", "item", "updated_at"])
    _event(enrollment, actor, "delivered", old, note.strip(), on=on, amount=amount, item=item)
    return enrollment


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment, actor: User, note: str = "") -> Enrollment:
    """Done for this period. A program with an exit category takes the matching registry record out."""
    enrollment = ENROLLMENT.guard("complete", enrollment, actor)
    old, enrollment.status = enrollment.status, S.COMPLETED
    enrollment.save(update_fields=["status", "updated_at"])
    _event(enrollment, actor, "completed", old, note.strip())
    _exit_registry_records(enrollment, actor)
    return enrollment


def _exit_registry_records(enrollment: Enrollment, actor: User) -> None:
    category = enrollment.program.exit_category
    if category is None:
        return
    subject = {"household": enrollment.household} if enrollment.household_id else {"person": enrollment.person}
    on = min(enrollment.delivered_on or timezone.localdate(), timezone.localdate())
    note = _("Tertangani program %(p)s (periode %(k)s).") % {"p": enrollment.program.name, "k": enrollment.period.key}
    for record in PpksRecord.objects.filter(category=category, status=PpksStatus.VALIDATED, **subject):
        ppks_exit(record=record, actor=actor, on=on, reason=ExitReason.HANDLED, note=note)


@transaction.atomic
def enrollment_exit(*, enrollment: Enrollment, actor: User, on: date, reason: str, note: str = "") -> Enrollment:
    """The beneficiary leaves the program (died, moved, no longer eligible, withdrew); the place is freed."""
    chosen("reason", reason, EnrollmentExitReason.values, _("Alasan keluar wajib dipilih."))
    enrollment = ENROLLMENT.guard("exit", enrollment, actor)
    not_future("on", on, _("Tanggal tidak boleh di masa depan."))
    old = enrollment.status
    enrollment.status, enrollment.exit_date, enrollment.exit_reason = S.EXITED, on, reason
    enrollment.save(update_fields=["status", "exit_date", "exit_reason", "updated_at"])
    _event(enrollment, actor, "exited", old, note.strip() or str(EnrollmentExitReason(reason).label), on=on)
    return enrollment


# --- Bedah Rumah --------------------------------------------------------------------------------
# The house assessment, then (through the enrollment's approval) the renovation; completing it takes the
# household's record in the program's exit category (``Program.exit_category``) out of the registry:
# dinilai → disetujui (``enrollment_approve``, within the quota, only for a house judged RTLH) or ditolak
# (``enrollment_reject``) → direnovasi (date and cost): the enrollment is delivered and completed at once.


MAX_PHOTOS = 8  # photos per house, before and after together


def _photos(assessment: HouseAssessment, actor: User, photos: Iterable["UploadedFile[bytes]"], stage: str) -> int:
    photos = list(photos)
    if assessment.photos.count() + len(photos) > MAX_PHOTOS:
        raise field_error("photos", _("Paling banyak %(n)s foto per rumah.") % {"n": MAX_PHOTOS})
    for upload in photos:
        try:
            kind = uploads.validate_upload(upload, kinds=uploads.IMAGES)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
        HousePhoto.objects.create(
            assessment=assessment, stage=stage, file=upload, content_type=kind, size=upload.size or 0, uploaded_by=actor
        )
    return len(photos)


@transaction.atomic
def house_assess(
    *,
    enrollment: Enrollment,
    actor: User,
    checklist: dict[str, str],
    floor_area: Decimal,
    occupants: int,
    on: date | None = None,
    note: str = "",
    photos: Iterable["UploadedFile[bytes]"] = (),
) -> HouseAssessment:
    """Record the field assessment of a proposed Bedah Rumah household's house, with photos of its state."""
    enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("program").get(pk=enrollment.pk)
    if enrollment.program.kind != Program.Kind.HOUSE:
        raise field_error("__all__", _("Penilaian rumah hanya untuk program Bedah Rumah."), code="conflict")
    if enrollment.status != EnrollmentStatus.PROPOSED:
        raise field_error("__all__", _("Rumah hanya dinilai selama usulan belum diputuskan."), code="conflict")
    checklist = house.validate_checklist(checklist)
    if floor_area is None or floor_area <= 0:
        raise field_error("floor_area", _("Luas lantai harus lebih dari 0 m²."))
    if not occupants or occupants < 1:
        raise field_error("occupants", _("Jumlah penghuni minimal 1 orang."))
    on = not_future("on", on or timezone.localdate(), _("Tanggal tidak boleh di masa depan."))
    verdict = house.judge(checklist, floor_area=floor_area, occupants=occupants)
    try:
        with transaction.atomic():
            assessment = HouseAssessment.objects.create(
                enrollment=enrollment,
                kecamatan_id=enrollment.kecamatan_id,
                kelurahan_id=enrollment.kelurahan_id,
                checklist=checklist,
                floor_area=floor_area,
                occupants=occupants,
                score=verdict.score,
                is_rtlh=verdict.is_rtlh,
                assessed_by=actor,
                assessed_on=on,
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise field_error("__all__", _("Rumah ini sudah dinilai."), code="conflict") from exc
    count = _photos(assessment, actor, photos, HousePhoto.Stage.BEFORE)
    audit.record(
        actor,
        "programs.house.assessed",
        assessment,
        data={"score": verdict.score, "is_rtlh": verdict.is_rtlh, "photos": count, "checklist": checklist},
    )
    return assessment


@transaction.atomic
def house_renovate(
    *,
    assessment: HouseAssessment,
    actor: User,
    on: date,
    cost: Decimal,
    note: str = "",
    photos: Iterable["UploadedFile[bytes]"] = (),
) -> HouseAssessment:
    """The renovation is done: the aid is delivered (its cost) and completed; the RTLH record leaves the registry."""
    assessment = HouseAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != HouseAssessment.Status.APPROVED:
        raise field_error(
            "__all__", _("Hanya rumah yang sudah disetujui yang dapat dicatat selesai direnovasi."), code="conflict"
        )
    if cost is None or cost < 0 or cost != cost.to_integral_value():
        raise field_error("cost", _("Biaya renovasi dalam rupiah utuh, tidak negatif."))
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("program", "period")
        .get(pk=assessment.enrollment_id)
    )
    if on < assessment.assessed_on:
        raise field_error("on", _("Tanggal selesai renovasi sebelum tanggal penilaian rumah."))
    deliver_locked(enrollment, actor, on=on, amount=cost, item=_("Renovasi rumah"), note=note)
    enrollment_complete(enrollment=enrollment, actor=actor, note=note)
    assessment.status, assessment.renovated_on, assessment.cost = HouseAssessment.Status.RENOVATED, on, cost
    assessment.save(update_fields=["status", "renovated_on", "cost", "updated_at"])
    count = _photos(assessment, actor, photos, HousePhoto.Stage.AFTER)
    audit.record(
        actor,
        "programs.house.renovated",
        assessment,
        changes={"status": ["disetujui", "direnovasi"]},
        data={"on": on, "cost": cost, "photos": count},
    )
    return assessment
