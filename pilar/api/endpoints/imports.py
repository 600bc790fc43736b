"""``/api/v1/imports``: the same upload check, task and error file as the import page."""

from datetime import datetime
from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, require
from pilar.accounts.visibility import visibility_for
from pilar.api.form_schema import valid
from pilar.api.pagination import LoggedPage, Page
from pilar.api.workflow import step_routes
from pilar.core.access import get_for_user
from pilar.registry.forms import ImportForm
from pilar.registry.import_models import ImportConflict
from pilar.registry.importer.conflicts import shown_fields
from pilar.registry.importer.mapping import all_profiles
from pilar.registry.importer.services import import_jobs_fail_gone
from pilar.registry.models import ImportJob
from pilar.registry.selectors import import_jobs_for
from pilar.registry.tasks import import_start
from pilar.registry.workflow import CONFLICT, IMPORT

router = Router(tags=["impor registri"])


class ImportOut(Schema):
    id: int
    file_name: str
    checksum: str
    mode: str
    dry_run: bool
    status: str
    total_rows: int
    done_rows: int
    created_count: int
    unchanged_count: int
    error_count: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    error_file: str | None
    started_at: datetime | None
    heartbeat_at: datetime | None
    header_row: int | None
    skipped_rows: int
    skipped: list[list[int | str]]
    warning_count: int
    conflict_count: int
    retry_of: int | None = Field(None, alias="retry_of_id")
    profile: str
    accept_warnings: bool

    @staticmethod
    def resolve_error_file(obj: ImportJob) -> str | None:
        return reverse("api-v1:import_errors", args=[obj.pk]) if obj.error_file else None


@router.get("/", response=list[ImportOut])
@paginate(Page)
def list_imports(request):
    require(request.user, Perm.REGISTRY_IMPORT)
    import_jobs_fail_gone()
    return import_jobs_for(request.user)


@router.post("/", response={202: ImportOut})
def start_import(
    request,
    file: File[UploadedFile],
    mode: Form[str] = "all-or-nothing",
    dry_run: Form[bool] = False,
    profile: Form[str] = "",
    accept_warnings: Form[bool] = False,
):
    """Unggah CSV/XLSX (multipart: ``file``, ``mode`` = all-or-nothing | valid-rows, ``dry_run``, ``profile`` =
    nama profil pemetaan kolom, mis. ``dtks``; lihat ``GET /api/v1/import-profiles/``; ``accept_warnings`` = impor
    juga baris yang kategorinya tidak cocok dengan usia/jenis kelamin, dengan peringatan di berkas laporan).

    Diproses di latar belakang; pantau ``GET /api/v1/imports/<id>`` (status, done_rows dari total_rows).
    """
    require(request.user, Perm.REGISTRY_IMPORT)
    form = valid(
        ImportForm(
            {"mode": mode, "dry_run": dry_run, "profile": profile, "accept_warnings": accept_warnings},
            MultiValueDict({"file": [file]}),
        )
    )
    job = import_start(
        actor=request.user,
        uploaded_file=form.cleaned_data["file"],
        mode=form.cleaned_data["mode"],
        dry_run=form.cleaned_data["dry_run"],
        profile=form.cleaned_data["profile"],
        accept_warnings=form.cleaned_data["accept_warnings"],
    )
    return Status(202, ImportJob.objects.get(pk=job.pk))


@router.get("/{job_id}", response=ImportOut)
def get_import(request, job_id: int):
    import_jobs_fail_gone()
    return get_object_or_404(import_jobs_for(request.user), pk=job_id)


def _job(user, job_id: int) -> ImportJob:
    return get_for_user(import_jobs_for(user), user, job_id)


# retry: the import's one step, answered with the new job it queued (202).
step_routes(
    router,
    IMPORT,
    id_param="job_id",
    noun="import",
    load=_job,
    detail=lambda request, job: job,
    response={202: ImportOut},
    answer=lambda request, retry: Status(202, ImportJob.objects.get(pk=retry.pk)),
    module=__name__,
)


@router.get("/{job_id}/errors", url_name="import_errors")
def import_errors(request, job_id: int):
    """Berkas kesalahan (CSV: baris, kolom, nilai, pesan)."""
    job = get_object_or_404(import_jobs_for(request.user), pk=job_id)
    if not job.error_file:
        raise Http404
    return FileResponse(
        job.error_file.open("rb"), as_attachment=True, filename=f"impor-{job.pk}-kesalahan.csv", content_type="text/csv"
    )


# --- data conflicts held by an import ------------------------------------------------------------


class ConflictOut(Schema):
    id: int
    row: int
    kind: str
    status: str
    person: int
    fields: list[dict[str, Any]]
    new_person: int | None
    record: int | None
    resolved_at: datetime | None


def _conflict_out(request, conflict: ImportConflict) -> dict[str, Any]:
    return {
        "id": conflict.pk,
        "row": conflict.row,
        "kind": conflict.kind,
        "status": conflict.status,
        "person": conflict.person_id,
        "fields": shown_fields(conflict, visibility_for(request.user)),
        "new_person": conflict.new_person_id,
        "record": conflict.record_id,
        "resolved_at": conflict.resolved_at,
    }


def _conflict(user, conflict_id: int, job_id: int) -> ImportConflict:
    return get_for_user(ImportConflict.objects.filter(job=_job(user, job_id)), user, conflict_id)


@router.get("/{job_id}/conflicts/", response=list[ConflictOut])
@paginate(Page)
def list_conflicts(request, job_id: int, status: str = ""):
    """Konflik data yang ditahan impor ini: ``row`` (baris lembar kerja), ``person`` (orang tercatat), ``fields``
    (``field``, ``label``, ``row`` = nilai di berkas, ``stored`` = nilai tercatat). Filter ``status``:
    terbuka | orang_sama | orang_lain."""
    job = get_object_or_404(import_jobs_for(request.user), pk=job_id)
    conflicts = job.conflicts.all()
    if status:
        conflicts = conflicts.filter(status=status)
    return LoggedPage(request, conflicts, _conflict_out, unmasked=visibility_for(request.user).unmasked)


# same-person, different-person: a conflict's two steps, answered with the conflict as resolved.
step_routes(
    router,
    CONFLICT,
    id_param="conflict_id",
    path_prefix="/{job_id}/conflicts",
    extra_ids=("job_id",),
    noun="person",
    name="resolve_{step}_person",
    load=_conflict,
    detail=_conflict_out,
    response=ConflictOut,
    module=__name__,
)


# --- column-mapping profiles ---------------------------------------------------------------------

profiles = Router(tags=["impor registri"])


class ProfileOut(Schema):
    name: str
    description: str
    builtin: bool
    mapping: dict[str, list[str]]
    defaults: dict[str, str]


@profiles.get("/", response=list[ProfileOut])
def list_profiles(request):
    """Profil pemetaan kolom untuk ``POST /api/v1/imports/`` (``profile``): ``dtks`` bawaan (layout BNBA
    DTKS/DTSEN) dan profil yang disimpan dari pratinjau impor. ``mapping``: kolom Pilar -> judul kolom berkas."""
    require(request.user, Perm.REGISTRY_IMPORT)
    return [
        {
            "name": p.name,
            "description": p.description,
            "builtin": p.builtin,
            "mapping": p.mapping,
            "defaults": p.defaults,
        }
        for p in all_profiles()
    ]
