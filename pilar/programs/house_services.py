"""Bedah Rumah: the house assessment, then (through the enrollment's approval) the renovation. Completing it takes
the household's record in the program's exit category (``Program.exit_category``) out of the registry.

dinilai → disetujui (``services.enrollment_approve``, within the quota, only for a house judged RTLH) or ditolak
(``services.enrollment_reject``) → direnovasi (date and cost): the enrollment is delivered and completed at once.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core import uploads
from pilar.programs import house, services
from pilar.programs.models import Enrollment, EnrollmentStatus, HouseAssessment, HousePhoto, Program

MAX_PHOTOS = 8


def _fail(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _photos(assessment: HouseAssessment, actor: User, photos: Iterable[UploadedFile], stage: str) -> int:
    photos = list(photos)
    if assessment.photos.count() + len(photos) > MAX_PHOTOS:
        raise _fail("photos", _("Paling banyak %(n)s foto per rumah.") % {"n": MAX_PHOTOS})
    for upload in photos:
        try:
            kind = uploads.validate_upload(upload, kinds=uploads.IMAGES)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
        HousePhoto.objects.create(
            assessment=assessment, stage=stage, file=upload, content_type=kind, size=upload.size, uploaded_by=actor
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
    photos: Iterable[UploadedFile] = (),
) -> HouseAssessment:
    """Record the field assessment of a proposed Bedah Rumah household's house, with photos of its state."""
    enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("program").get(pk=enrollment.pk)
    if enrollment.program.kind != Program.Kind.HOUSE:
        raise _fail("__all__", _("Penilaian rumah hanya untuk program Bedah Rumah."), code="conflict")
    if enrollment.status != EnrollmentStatus.PROPOSED:
        raise _fail("__all__", _("Rumah hanya dinilai selama usulan belum diputuskan."), code="conflict")
    checklist = house.validate_checklist(checklist)
    if floor_area is None or floor_area <= 0:
        raise _fail("floor_area", _("Luas lantai harus lebih dari 0 m²."))
    if not occupants or occupants < 1:
        raise _fail("occupants", _("Jumlah penghuni minimal 1 orang."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise _fail("on", _("Tanggal tidak boleh di masa depan."))
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
        raise _fail("__all__", _("Rumah ini sudah dinilai."), code="conflict") from exc
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
    photos: Iterable[UploadedFile] = (),
) -> HouseAssessment:
    """The renovation is done: the aid is delivered (its cost) and completed; the RTLH record leaves the registry."""
    assessment = HouseAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != HouseAssessment.Status.APPROVED:
        raise _fail(
            "__all__", _("Hanya rumah yang sudah disetujui yang dapat dicatat selesai direnovasi."), code="conflict"
        )
    if cost is None or cost < 0 or cost != cost.to_integral_value():
        raise _fail("cost", _("Biaya renovasi dalam rupiah utuh, tidak negatif."))
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("program", "period")
        .get(pk=assessment.enrollment_id)
    )
    if on < assessment.assessed_on:
        raise _fail("on", _("Tanggal selesai renovasi sebelum tanggal penilaian rumah."))
    services.deliver_locked(enrollment, actor, on=on, amount=cost, item=_("Renovasi rumah"), note=note)
    services.enrollment_complete(enrollment=enrollment, actor=actor, note=note)
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
