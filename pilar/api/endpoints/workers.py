"""``/api/v1/workers``: the same forms, selectors and services as the workforce pages."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar import audit
from pilar.accounts.permissions import Perm, require
from pilar.api.form_schema import check_types, form_body, query_of, valid, valid_form
from pilar.api.pagination import LoggedPage, Page
from pilar.audit.models import PersonalDataAccess
from pilar.core.errors import chosen
from pilar.workers import services
from pilar.workers.accounts import worker_account_issue
from pilar.workers.forms import WorkerCreateForm, WorkerUpdateForm
from pilar.workers.models import Worker, WorkerStatus
from pilar.workers.selectors import WorkerFilter, get_worker_for_user, worker_list, worker_personal, worker_view

router = Router(tags=["pekerja sosial"])


class WorkerOut(Schema):
    id: int
    role: str
    status: str
    status_date: date
    status_reason: str
    kecamatan: str
    kecamatan_name: str
    kelurahan: str | None
    kelurahan_name: str | None
    joined_on: date
    nik: str
    name: str
    sex: str
    phone: str
    education: str
    birth_place: str | None
    birth_date: date | None
    address: str | None
    rt: str | None
    rw: str | None
    village: str | None
    is_rt_rw_head: bool | None
    bank_name: str | None
    account_number: str | None
    account_holder: str | None


@query_of(WorkerFilter)
class WorkerFilterIn(Schema):
    """The list's query parameters: the fields of ``WorkerFilter``, which the list page reads too."""


def _out(request, worker: Worker) -> dict[str, Any]:
    return {
        "id": worker.pk,
        "role": worker.role,
        "status": worker.status,
        "status_date": worker.status_date,
        "status_reason": worker.status_reason,
        "kecamatan": worker.kecamatan.code,
        "kecamatan_name": worker.kecamatan.name,
        "kelurahan": worker.kelurahan.code if worker.kelurahan is not None else None,
        "kelurahan_name": worker.kelurahan.name if worker.kelurahan is not None else None,
        "joined_on": worker.joined_on,
        **worker_personal(worker, worker_view(request.user, worker)),
    }


@router.get("/", response=list[WorkerOut])
@paginate(Page)
def list_workers(request, filters: Query[WorkerFilterIn]):
    """PSM dan TKSK di wilayah pengguna. Filter: ``role``, ``status``, ``kecamatan``, ``kelurahan``, ``q``."""
    require(request.user, Perm.WORKER_VIEW)
    workers = worker_list(request.user, WorkerFilter(**filters.dict()))
    return LoggedPage(request, workers, _out, unmasked=worker_view(request.user).unmasked)


@router.get("/{worker_id}", response=WorkerOut)
def get_worker(request, worker_id: int):
    worker = get_worker_for_user(request.user, worker_id)
    unmasked = worker_view(request.user, worker).unmasked
    audit.log_personal_access(request, channel=PersonalDataAccess.Channel.API, obj=worker, unmasked=unmasked)
    return _out(request, worker)


@router.post("/", response={201: WorkerOut}, openapi_extra=form_body(WorkerCreateForm))
def create_worker(request, payload: Body[dict[str, Any]]):
    """Daftarkan PSM atau TKSK. Isian sama dengan formulir di halaman; galat per isian dalam Bahasa Indonesia."""
    require(request.user, Perm.WORKER_MANAGE)
    form = valid_form(WorkerCreateForm, payload)
    try:
        worker = services.worker_create(actor=request.user, **form.service_kwargs())
    except ValidationError as exc:
        raise _aliased(exc, form.service_field_aliases) from exc
    return Status(201, _out(request, get_worker_for_user(request.user, worker.pk)))


STATUS_FIELDS = ("status", "status_date", "status_reason")


@router.patch("/{worker_id}", response=WorkerOut, openapi_extra=form_body(WorkerUpdateForm, partial=True))
def update_worker(request, worker_id: int, payload: Body[dict[str, Any]]):
    """Ubah data pribadi, kontak atau rekening, atau `status` (aktif, nonaktif, berhenti; dengan `status_date` dan
    `status_reason`). Hanya isian yang dikirim yang berubah. Status `berhenti` menonaktifkan akun yang tertaut."""
    worker = get_worker_for_user(request.user, worker_id, Perm.WORKER_MANAGE)
    status = {k: payload.pop(k) for k in STATUS_FIELDS if k in payload}
    unknown = set(payload) - set(WorkerUpdateForm.EDITABLE) - {"confirm_address"}
    if unknown:
        raise ValidationError({k: [_("Isian ini tidak dapat diubah lewat endpoint ini.")] for k in sorted(unknown)})
    if payload:
        check_types(WorkerUpdateForm, payload)
        form = valid(WorkerUpdateForm.for_patch(worker, payload))
        services.worker_update(
            worker=worker,
            actor=request.user,
            data=form.changed_values(worker),
            confirm_address=form.cleaned_data["confirm_address"],
        )
    if status.get("status") not in (None, worker.status):
        _set_status(request, worker, status)
    return _out(request, get_worker_for_user(request.user, worker_id))


def _set_status(request, worker: Worker, fields: dict[str, Any]) -> None:
    chosen(
        "status", fields["status"], WorkerStatus.values, _("Status harus salah satu dari: aktif, nonaktif, berhenti.")
    )
    try:
        on = date.fromisoformat(str(fields.get("status_date") or timezone.localdate().isoformat()))
    except ValueError as exc:
        raise ValidationError({"status_date": [_("Tanggal harus berformat TTTT-BB-HH.")]}) from exc
    reason = str(fields.get("status_reason") or "").strip() or _("Diubah lewat API")
    services.worker_set_status(worker=worker, actor=request.user, status=fields["status"], on=on, reason=reason)


class AccountOut(Schema):
    username: str
    temporary_password: str


@router.post("/{worker_id}/account", response={200: AccountOut, 201: AccountOut})
def issue_account(request, worker_id: int):
    """Buat akun pengguna yang tertaut ke pekerja ini, atau terbitkan ulang kata sandi sementaranya (Admin Dinsos).

    Kata sandi sementara hanya tampil di jawaban ini; pengguna wajib menggantinya sebelum dapat melakukan hal lain."""
    worker = get_worker_for_user(request.user, worker_id, Perm.WORKER_VIEW)
    require(request.user, Perm.USER_MANAGE)
    issued = worker_account_issue(worker=worker, actor=request.user)
    body = {"username": issued.username, "temporary_password": issued.temporary_password}
    return Status(201 if issued.created else 200, body)


def _aliased(exc: ValidationError, aliases: dict[str, str]) -> ValidationError:
    return ValidationError({aliases.get(k, k): v for k, v in exc.message_dict.items()})
