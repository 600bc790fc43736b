"""``/api/v1/ppks/<id>/evidence``: a record's photos and documents (multipart upload, scoped download)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from pilar.api.pagination import log_one
from pilar.core.uploads import serve_upload
from pilar.registry.evidence import evidence_add, evidence_visible, may_add_evidence
from pilar.registry.models import Evidence
from pilar.registry.selectors import get_ppks_for_user

router = Router(tags=["registri sosial"])


class EvidenceOut(Schema):
    id: int
    content_type: str
    size: int
    note: str
    uploaded_by: str | None
    created_at: datetime
    download: str


def _out(evidence: Evidence) -> dict:
    return {
        "id": evidence.pk,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "note": evidence.note,
        "uploaded_by": evidence.uploaded_by.username if evidence.uploaded_by is not None else None,
        "created_at": evidence.created_at,
        "download": reverse("api-v1:ppks_evidence_file", args=[evidence.record_id, evidence.pk]),
    }


def _visible_record(request, record_id: int):
    record = get_ppks_for_user(request.user, record_id)  # 404 outside the user's area
    if not evidence_visible(request.user, record):
        raise PermissionDenied(_("Bukti data kategori ini hanya dibuka TKSK dan Dinas Sosial (data pribadi spesifik)."))
    return record


@router.get("/{record_id}/evidence", response=list[EvidenceOut])
def list_evidence(request, record_id: int):
    """Foto dan dokumen bukti satu data PPKS."""
    record = _visible_record(request, record_id)
    return [_out(e) for e in record.evidence.select_related("uploaded_by").order_by("id")]


@router.post("/{record_id}/evidence", response={201: EvidenceOut})
def add_evidence(request, record_id: int, file: File[UploadedFile], note: Form[str] = ""):
    """Unggah bukti (multipart: ``file`` JPG/PNG/WEBP/PDF paling besar 5 MB, ``note`` opsional)."""
    record = get_ppks_for_user(request.user, record_id)
    if not may_add_evidence(request.user, record):
        raise PermissionDenied
    if len(note) > 250:
        raise ValidationError({"note": ["Keterangan paling panjang 250 karakter."]})
    evidence = evidence_add(record=record, actor=request.user, upload=file, note=note)
    return Status(201, _out(evidence))


@router.get("/{record_id}/evidence/{evidence_id}", url_name="ppks_evidence_file", response={200: None})
def evidence_file(request, record_id: int, evidence_id: int):
    """Berkas bukti itu sendiri (akses dicatat sebagai akses data pribadi)."""
    record = _visible_record(request, record_id)
    evidence = get_object_or_404(record.evidence, pk=evidence_id)
    log_one(request, record, unmasked=False)
    return serve_upload(evidence.file.open("rb"), evidence.content_type, f"bukti-{record.pk}-{evidence.pk}")
