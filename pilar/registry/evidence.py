"""Evidence for a PPKS record: photos and documents, checked on upload and served only through the record's scope.

Files are never published under MEDIA_URL: every download goes through the record's area check and is logged as
an access to personal data (a photo of a resident's house or a medical letter is personal data under UU PDP).
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.accounts.permissions import Perm, can
from pilar.accounts.visibility import visibility_for
from pilar.core import uploads
from pilar.registry.models import Evidence, PpksRecord

MAX_PER_RECORD = 20
KINDS = uploads.IMAGES_AND_DOCUMENTS
MAX_BYTES = uploads.MAX_BYTES


def may_add_evidence(user: User, record: PpksRecord) -> bool:
    """Those who propose or verify in the record's area may add evidence, whatever the record's status (a death
    certificate arrives after the record leaves the registry)."""
    return can(user, Perm.PPKS_PROPOSE, record) or can(user, Perm.PPKS_VERIFY, record)


def evidence_visible(user: User, record: PpksRecord) -> bool:
    """Whether ``user`` may open a record's evidence: the visibility table's rule for its notes (a PSM does
    not open the evidence of specific-data categories such as ODHA, even its own upload)."""
    return visibility_for(user, record).notes_of(record.category.code)


@transaction.atomic
def evidence_add(*, record: PpksRecord, actor: User, upload: UploadedFile, note: str = "") -> Evidence:
    """Store one checked file for ``record``; refused (ValidationError on ``file``) when it is not a photo/PDF,
    too big, or the record already holds the maximum number of files."""
    record = PpksRecord.objects.select_for_update().get(pk=record.pk)  # the count below must not race
    if record.evidence.count() >= MAX_PER_RECORD:
        raise ValidationError(
            {"file": _("Satu data PPKS paling banyak memiliki %(max)d berkas bukti.") % {"max": MAX_PER_RECORD}}
        )
    try:
        content_type = uploads.validate_upload(upload, kinds=KINDS, max_bytes=MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    evidence = Evidence(
        record=record, content_type=content_type, size=uploads.size_of(upload), note=note, uploaded_by=actor
    )
    evidence.file.save(upload.name or "bukti", upload, save=False)
    try:
        evidence.save()
        audit.record(
            actor,
            "registry.evidence.added",
            record,
            data={"evidence": evidence.pk, "content_type": content_type, "size": upload.size},
        )
    except Exception:
        evidence.file.delete(save=False)  # no orphan file when the row is not written
        raise
    return evidence
