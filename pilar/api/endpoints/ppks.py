"""``/api/v1/ppks``: proposals and their verval workflow, one POST per action, over the registry services.

Refusals: outside the user's area 404 (as for a missing id), in the area without the
permission 403, a step the record's status does not allow 409, acting on one's own proposal
403, invalid input 400 with the message on the field. The step endpoints come from the declaration
(``registry.workflow.PPKS``) through ``api.workflow.step_routes``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Body, Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, require
from pilar.accounts.visibility import visibility_for
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import CursorPage, LoggedPage, log_one
from pilar.api.workflow import HistoryOut, history_row, step_routes
from pilar.registry import services
from pilar.registry.forms import PpksProposeForm
from pilar.registry.models import PpksRecord
from pilar.registry.selectors import PpksFilter, get_ppks_for_user, ppks_found
from pilar.registry.workflow import PPKS

router = Router(tags=["registri sosial"])


class PpksOut(Schema):
    id: int
    category: str
    category_name: str
    status: str
    kelurahan: str
    kecamatan: str
    person: int | None
    household: int | None
    nik: str | None
    name: str | None
    source: str
    proposed_at: datetime
    reported_by: str | None
    verified_at: datetime | None
    field_result: str
    validated_at: datetime | None
    duplicate_of: int | None
    import_job: int | None
    source_row: int | None


class PpksEventOut(HistoryOut):
    reason: str
    field_result: str


class PpksDetailOut(PpksOut):
    rt: str
    rw: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    notes: str
    exit_date: date | None
    exit_reason: str
    events: list[PpksEventOut]


@query_of(PpksFilter, import_job=Field("", alias="import", description="id impor: data yang dibuat impor itu"))
class PpksFilterIn(Schema):
    """The list's query parameters: the fields of ``PpksFilter``, which the list page reads too."""


def _with_people(qs):
    # The subject's name and NIK come from the person, or the household's head; the proposer's username too.
    return qs.select_related("household__head", "reported_by")


# Columns ``_out`` does not read: a page of 500 records builds eight model instances per record, and an
# instance's cost grows with its loaded columns (``limit=500`` took 0.8 s at 100,000 records with all of them).
# Deferred rather than listed with only(), so that a field added to the list output is loaded, not fetched
# once per row.
UNLISTED = (
    *("created_at", "updated_at", "rt", "rw", "address", "latitude", "longitude", "notes", "exit_date"),
    *("exit_reason", "verified_by", "validated_by"),
    *(
        f"{person}__{field}"
        for person in ("person", "household__head")
        for field in (
            "created_at",
            "updated_at",
            "birth_place",
            "birth_date",
            "address",
            "rt",
            "rw",
            "village",
            "phone",
            "education",
            "is_rt_rw_head",
            "dukcapil_status",
            "restriction_reason",
            "anonymised_at",
        )
    ),
    *("household__created_at", "household__updated_at", "household__address", "household__rt", "household__rw"),
    *("category__definition", "reported_by__password", "reported_by__last_login"),
)


def _out(request, record: PpksRecord) -> dict[str, Any]:
    subject = record.person or (record.household.head if record.household is not None else None)
    view = visibility_for(request.user, record)
    return {
        "id": record.pk,
        "category": record.category.code,
        "category_name": record.category.name,
        "status": record.status,
        "kelurahan": record.kelurahan.code,
        "kecamatan": record.kecamatan.code,
        "person": record.person_id,
        "household": record.household_id,
        "nik": view.nik(subject.nik) if subject else None,
        "name": (view.name(subject.name) or None) if subject else None,
        "source": record.source,
        "proposed_at": record.proposed_at,
        "reported_by": record.reported_by.username if record.reported_by is not None else None,
        "verified_at": record.verified_at,
        "field_result": record.field_result,
        "validated_at": record.validated_at,
        "duplicate_of": record.duplicate_of_id,
        "import_job": record.import_job_id,
        "source_row": record.source_row,
    }


def _detail(request, record: PpksRecord) -> dict[str, Any]:
    events = record.events.select_related("actor").order_by("at", "id")
    view = visibility_for(request.user, record)
    notes = view.notes_of(record.category.code)
    own = record.reported_by_id == request.user.pk  # the proposer reads why the record came back
    return {
        **_out(request, record),
        "rt": view.rt_rw(record.rt),
        "rw": view.rt_rw(record.rw),
        "address": view.address(record.address),
        "latitude": view.location(record.latitude),
        "longitude": view.location(record.longitude),
        "notes": record.notes if notes else "",
        "exit_date": record.exit_date,
        "exit_reason": record.exit_reason,
        "events": [
            history_row(
                e,
                reason=e.reason if notes or (own and e.action != "proposed") else "",
                field_result=e.field_result,
            )
            for e in events
        ],
    }


def _shown(request, record: PpksRecord) -> dict[str, Any]:
    """The record with its timeline, logged as shown (it carries a name and a NIK)."""
    log_one(request, record, unmasked=visibility_for(request.user, record).unmasked)
    return _detail(request, record)


@router.get("/", response=list[PpksOut])
@paginate(CursorPage)
def list_ppks(request, filters: Query[PpksFilterIn]):
    """Data PPKS di wilayah pengguna, terbaru dahulu. Filter: ``kecamatan``, ``kelurahan``, ``category`` (kode),
    ``status``, ``q``, ``import`` (id impor: data yang dibuat impor itu; ``source_row`` = baris lembar kerjanya).
    ``count`` dihitung sampai 10.000 (pencarian nama: 1.000); di atasnya ``count_exact`` bernilai false dan
    ``count`` adalah perkiraan dari ringkasan registri, atau batas hitungan pencarian. Halaman dalam: ikuti
    ``next`` (kursor), bukan ``offset`` yang besar."""
    require(request.user, Perm.PPKS_VIEW)
    wanted = PpksFilter(**filters.dict())
    records, total = ppks_found(request.user, wanted)
    qs = _with_people(records).defer(*UNLISTED)
    unmasked = visibility_for(request.user).unmasked
    return LoggedPage(request, qs, _out, unmasked=unmasked, total=total)


@router.get("/{record_id}", response=PpksDetailOut)
def get_ppks(request, record_id: int):
    """Satu data PPKS dengan riwayat verval (``events``)."""
    return _shown(request, get_ppks_for_user(request.user, record_id))  # 404 outside the user's area


@router.post(
    "/",
    response={201: PpksDetailOut},
    openapi_extra=form_body(
        PpksProposeForm,
        {
            "category": {"description": "kode kategori PPKS, lihat /api/v1/categories/?kind=ppks"},
            "person": {"type": "integer", "description": "id orang (/api/v1/persons/)"},
            "household": {"type": "integer", "description": "id keluarga (/api/v1/households/)"},
        },
    ),
)
def propose_ppks(request, payload: Body[dict[str, Any]]):
    """Usulkan PPKS di wilayah pengguna (PSM: kelurahannya; TKSK: kecamatannya). Usulan ganda ditandai."""
    require(request.user, Perm.PPKS_PROPOSE)
    form = valid_form(PpksProposeForm, payload, user=request.user)
    record = services.ppks_propose(actor=request.user, **form.service_kwargs())
    return Status(201, _shown(request, get_ppks_for_user(request.user, record.pk)))


# verify, validate, resubmit, exit, return, reject: one endpoint per step of the declaration.
step_routes(
    router,
    PPKS,
    id_param="record_id",
    noun="ppks",
    load=get_ppks_for_user,
    detail=_shown,
    response=PpksDetailOut,
    module=__name__,
)
