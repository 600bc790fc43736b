"""``/api/v1/complaints``: the public channel (submit, status; no login) and the staff queue with its triage.

Public operations take no token (``auth=None``) and share the page's per-client rate limit (429 when used
up). Staff operations answer like the rest of the API: outside the user's area 404, in the area without
the permission 403, a complaint already triaged 409, invalid input 400 with the message on the field.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, can
from pilar.accounts.visibility import Level, Subject, visibility_for
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import LoggedPage, Page, log_one
from pilar.api.workflow import step_routes
from pilar.complaints import guard, selectors, services
from pilar.complaints.forms import ApiComplaintForm
from pilar.complaints.models import Complaint
from pilar.complaints.workflow import COMPLAINT
from pilar.core.errors import DomainError

router = Router(tags=["pengaduan masyarakat"])


class TrackingOut(Schema):
    tracking_code: str


class PublicStatusOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    submitted_at: datetime
    reviewed_at: datetime | None
    finished_at: datetime | None


class FormTokenOut(Schema):
    form_token: str
    min_fill_seconds: int
    valid_seconds: int


class ComplaintRefusalOut(Schema):
    detail: str


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    status: str
    channel: str
    kelurahan: str
    kecamatan: str
    category: str | None
    subject_name: str
    subject_age: int | None
    subject_sex: str
    submitted_at: datetime
    triaged_at: datetime | None
    case: int | None


class ComplaintDetailOut(ComplaintOut):
    address: str
    rt: str
    rw: str
    description: str
    has_photo: bool
    reporter_name: str
    reporter_phone: str
    triaged_by: str | None
    close_reason: str
    close_note: str


@query_of(selectors.ComplaintFilter)
class ComplaintFilterIn(Schema):
    """The list's query parameters: the fields of ``ComplaintFilter``, which the list page reads too."""


def _rate_limited(exc: DomainError) -> Status:
    return Status(429, {"detail": exc.message})


SUBMIT_BODY = form_body(
    ApiComplaintForm,
    {
        "form_token": {
            "description": "dari GET /api/v1/complaints/form-token; "
            "kirim paling cepat min_fill_seconds detik sesudahnya"
        },
        "homepage": {"description": "isian jebakan: selalu kosong (atau tidak dikirim)", "maxLength": 0},
        "subject_age": {"type": "integer", "minimum": 0, "maximum": 120},
        "category": {"description": "kode kategori PPKS (boleh kosong), lihat /api/v1/categories/?kind=ppks"},
        "reporter_phone": {"description": "nomor HP Indonesia, mis. 0812-3456-7890; disimpan sebagai +62..."},
    },
)


@router.get("/form-token", auth=None, response={200: FormTokenOut})
def complaint_form_token(request):
    """Token formulir untuk ``POST /api/v1/complaints/``, seperti yang dibawa halaman pengaduan.

    Pengaduan yang dikirim kurang dari ``min_fill_seconds`` detik sesudah token diambil, atau lebih dari
    ``valid_seconds`` detik, ditolak (400): pengisian secepat itu dilakukan oleh skrip.
    """
    return {
        "form_token": guard.form_token(),
        "min_fill_seconds": guard.min_fill_seconds(),
        "valid_seconds": guard.MAX_FORM_AGE_SECONDS,
    }


@router.post("/", auth=None, response={201: TrackingOut, 429: ComplaintRefusalOut}, openapi_extra=SUBMIT_BODY)
def submit_complaint(request, payload: Body[dict[str, Any]]):
    """Laporkan warga yang perlu dibantu, tanpa login. Jawaban: ``{"tracking_code": "..."}``.

    ``kelurahan`` (kode Kemendagri), ``address``, ``description`` dan ``form_token`` (dari
    ``GET /api/v1/complaints/form-token``) wajib; ``homepage`` harus kosong; lainnya boleh kosong.
    Token yang tidak sah, terlalu baru atau kedaluwarsa: 400. Dibatasi per alamat klien (429 bila terlampaui).
    """
    form = valid_form(ApiComplaintForm, payload)
    try:
        complaint = services.complaint_submit(
            data=form.complaint_data(), client=guard.client_key(request), channel=Complaint.Channel.API
        )
    except guard.RateLimited as exc:
        return _rate_limited(exc)
    return Status(201, {"tracking_code": complaint.tracking_code})


@router.get("/status/{tracking_code}", auth=None, response={200: PublicStatusOut, 429: ComplaintRefusalOut})
def complaint_status(request, tracking_code: str):
    """Status pengaduan menurut kode pelacakan, tanpa login: hanya status dan tanggal, tanpa data pribadi."""
    try:
        guard.check_rate("status", guard.client_key(request))
    except guard.RateLimited as exc:
        return _rate_limited(exc)
    found = selectors.public_status(tracking_code)
    if found is None:
        raise Http404
    return found.__dict__


def _out(request, complaint: Complaint) -> dict[str, Any]:
    shown = selectors.shown(request.user, complaint)
    return {
        "id": complaint.pk,
        "tracking_code": complaint.tracking_code,
        "status": complaint.status,
        "channel": complaint.channel,
        "kelurahan": complaint.kelurahan.code,
        "kecamatan": complaint.kecamatan.code,
        "category": complaint.category.code if complaint.category is not None else None,
        "subject_name": shown.subject_name,
        "subject_age": complaint.subject_age,
        "subject_sex": complaint.subject_sex,
        "submitted_at": complaint.created_at,
        "triaged_at": complaint.triaged_at,
        "case": complaint.case_id,
    }


def _detail(request, complaint: Complaint) -> dict[str, Any]:
    shown = selectors.shown(request.user, complaint)
    log_one(request, complaint, unmasked=shown.unmasked)
    return {
        **_out(request, complaint),
        "address": shown.address,
        "rt": shown.rt,
        "rw": shown.rw,
        "description": shown.description,
        "has_photo": shown.has_photo,
        "reporter_name": shown.reporter_name,
        "reporter_phone": shown.reporter_phone,
        "triaged_by": complaint.triaged_by.username if complaint.triaged_by is not None else None,
        "close_reason": complaint.close_reason,
        "close_note": complaint.close_note,
    }


@router.get("/", response=list[ComplaintOut])
@paginate(Page)
def list_complaints(request, filters: Query[ComplaintFilterIn]):
    """Antrean pengaduan di wilayah pengguna (PSM: kelurahannya; TKSK: kecamatannya; Dinsos: seluruh kota).

    Filter: ``kecamatan``, ``kelurahan`` (kode), ``status`` (``baru``, ``kasus``, ``ditutup``).
    """
    if not can(request.user, Perm.COMPLAINT_VIEW):
        raise PermissionDenied
    qs = selectors.complaint_list(request.user, selectors.ComplaintFilter(**filters.dict()))
    unmasked = visibility_for(request.user, subject=Subject.COMPLAINT).level("address") == Level.FULL
    return LoggedPage(request, qs, _out, unmasked=unmasked)


@router.get("/{complaint_id}", response=ComplaintDetailOut)
def get_complaint(request, complaint_id: int):
    """Satu pengaduan; nama, alamat, uraian dan kontak pelapor hanya bagi petugas yang menanganinya."""
    return _detail(request, selectors.get_complaint_for_user(request.user, complaint_id))


# convert, close: one endpoint per step of the declaration.
step_routes(
    router,
    COMPLAINT,
    id_param="complaint_id",
    noun="complaint",
    load=selectors.get_complaint_for_user,
    detail=_detail,
    response=ComplaintDetailOut,
    module=__name__,
)
