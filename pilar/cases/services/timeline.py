"""Notes, home visits and documents on a case's timeline."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.cases.models import Case, CaseDocument, CaseNote, HomeVisit
from pilar.cases.workflow import CASE
from pilar.core import uploads


@transaction.atomic
def case_note_add(*, actor: User, case: Case, text: str, confidential: bool = False) -> CaseNote:
    CASE.guard("note", case, actor)
    if not text.strip():
        raise ValidationError({"text": [_("Catatan tidak boleh kosong.")]})
    note = CaseNote.objects.create(
        case=case, author=actor, at=timezone.now(), text=text.strip(), confidential=confidential
    )
    # The trail records that a note was written, never a confidential note's words.
    audit.record(actor, "cases.note.added", case, data={"note": note.pk, "confidential": confidential})
    return note


@transaction.atomic
def case_visit_add(*, actor: User, case: Case, visit_date: date, visitors: str, findings: str) -> HomeVisit:
    CASE.guard("visit", case, actor)
    errors: dict[str, list[str]] = {}
    if visit_date > timezone.localdate():
        errors["visit_date"] = [_("Tanggal kunjungan tidak boleh di masa depan.")]
    if visit_date < case.created_at.date():
        errors["visit_date"] = [_("Tanggal kunjungan sebelum kasus dicatat.")]
    if not visitors.strip():
        errors["visitors"] = [_("Tuliskan siapa yang berkunjung.")]
    if not findings.strip():
        errors["findings"] = [_("Temuan kunjungan wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit.objects.create(
        case=case,
        visit_date=visit_date,
        recorded_by=actor,
        recorded_at=timezone.now(),
        visitors=visitors.strip(),
        findings=findings.strip(),
    )
    audit.record(actor, "cases.visit.added", case, data={"visit": visit.pk, "visit_date": visit_date})
    return visit


@transaction.atomic
def case_document_add(*, actor: User, case: Case, upload: "UploadedFile[bytes]", caption: str = "") -> CaseDocument:
    """A photo or PDF; its type is read from its bytes, and a wrong or oversized file is refused unsaved."""
    CASE.guard("document", case, actor)
    try:
        content_type = uploads.validate_upload(upload, kinds=uploads.IMAGES_AND_DOCUMENTS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = CaseDocument.objects.create(
        case=case,
        file=upload,
        content_type=content_type,
        size=upload.size or 0,
        caption=caption.strip(),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    audit.record(actor, "cases.document.added", case, data={"document": document.pk, "type": content_type})
    return document
