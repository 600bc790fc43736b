"""``/api/v1/categories``, ``/persons`` and ``/households``: the same forms, selectors and services as the pages."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, can, require
from pilar.accounts.visibility import visibility_for
from pilar.api.form_schema import form_body, valid, valid_form
from pilar.api.pagination import CountedPage, CursorPage, LoggedPage, Page, log_one
from pilar.core.paging import total_of
from pilar.identity.models import Person
from pilar.identity.search import persons_found
from pilar.registry import corrections, requests, services
from pilar.registry.correction_forms import person_values
from pilar.registry.forms import HouseholdForm, PersonForm
from pilar.registry.models import Category, Household
from pilar.registry.request_models import RegistrationRequest
from pilar.registry.selectors import households_visible_to, persons_visible_to

categories = Router(tags=["registri sosial"])
persons = Router(tags=["registri sosial"])
households = Router(tags=["registri sosial"])


# --- categories ---------------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str
    name: str
    number: int
    kind: str
    subject: str
    definition: str


class CategoryFilter(Schema):
    kind: Category.Kind | None = None


@categories.get("/", response=list[CategoryOut])
@paginate(Page)
def list_categories(request, filters: Query[CategoryFilter]):
    """Jenis PPKS (26) dan PSKS (12) menurut Permensos 08/2012, dan RTLH (rumah tidak layak huni).
    Filter: ``kind=ppks|psks|rtlh``."""
    qs = Category.objects.filter(is_active=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("kind", "number")


# --- persons ------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    nik: str | None
    name: str
    sex: str
    birth_date: date | None
    age: int | None  # for roles that see an age instead of the birth date (docs/privacy.md)
    village: str | None
    dukcapil_status: str
    needs_dukcapil: bool


class PersonFilter(Schema):
    q: str = ""


def person_out(request, person: Person) -> dict[str, Any]:
    view = visibility_for(request.user)
    return {
        "id": person.pk,
        "nik": view.nik(person.nik),
        "name": view.name(person.name),
        "sex": person.sex,
        "birth_date": view.birth_date(person.birth_date),
        "age": view.age(person.birth_date),
        "village": person.village.code if person.village is not None else None,
        "dukcapil_status": person.dukcapil_status,
        # Persons without a NIK are kept, and listed for the Dukcapil follow-up.
        "needs_dukcapil": not person.nik,
    }


@persons.get("/", response=list[PersonOut])
@paginate(CountedPage)
def list_persons(request, filters: Query[PersonFilter]):
    """Orang dalam registri di wilayah pengguna. ``q``: nama atau NIK lengkap (16 digit); hasil pencarian dihitung
    sampai 1.000 (di atasnya ``count_exact`` false: tambahkan kata lain)."""
    require(request.user, Perm.PPKS_VIEW)
    qs = persons_visible_to(request.user).select_related("village").order_by("name_normalized", "id")
    total = None
    if filters.q.strip():
        qs, total = persons_found(qs, filters.q)
    unmasked = visibility_for(request.user).unmasked
    return LoggedPage(request, qs, person_out, unmasked=unmasked, total=total)


@persons.get("/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    person = get_object_or_404(persons_visible_to(request.user).select_related("village"), pk=person_id)
    log_one(request, person, unmasked=visibility_for(request.user).unmasked)
    return person_out(request, person)


class RoutedOut(Schema):
    detail: str
    request: int


class Refusal(Schema):
    detail: str


def _routed(call: Any, **kwargs: Any) -> Any:
    """The service's answer, or 202 when the registration went to Dinsos, 429 past the day's limit."""
    try:
        result = call(actor=kwargs.pop("actor"), **kwargs)
    except requests.RequestLimit as exc:
        return Status(429, {"detail": exc.message})
    if isinstance(result, RegistrationRequest):
        return Status(202, {"detail": requests.routed_message(result), "request": result.pk})
    return result


@persons.post("/", response={201: PersonOut, 202: RoutedOut, 429: Refusal}, openapi_extra=form_body(PersonForm))
def create_person(request, payload: Body[dict[str, Any]]):
    """Daftarkan orang. NIK boleh kosong (ditandai untuk tindak lanjut Dukcapil). Bila NIK sudah tercatat di luar
    wilayah pengguna, pendaftaran diteruskan ke Dinas Sosial: 202 dengan nomor permintaan (429 bila terlalu
    sering)."""
    require(request.user, Perm.PPKS_PROPOSE)
    form = valid_form(PersonForm, payload, user=request.user)
    result = _routed(requests.person_register, actor=request.user, data=form.person_data())
    return result if isinstance(result, Status) else Status(201, person_out(request, result))


# --- households ---------------------------------------------------------------------------------


class MemberOut(Schema):
    person: int
    relationship: str


class HouseholdOut(Schema):
    id: int
    kk_number: str | None
    kelurahan: str
    kecamatan: str
    address: str
    rt: str
    rw: str
    head: int | None
    members: list[MemberOut]


class AreaFilter(Schema):
    kecamatan: str = ""
    kelurahan: str = ""


def household_out(request, household: Household) -> dict[str, Any]:
    view = visibility_for(request.user, household)
    return {
        "id": household.pk,
        "kk_number": view.kk(household.kk_number),
        "kelurahan": household.kelurahan.code,
        "kecamatan": household.kecamatan.code,
        "address": view.address(household.address),
        "rt": view.rt_rw(household.rt),
        "rw": view.rt_rw(household.rw),
        "head": household.head_id,
        "members": [{"person": m.person_id, "relationship": m.relationship} for m in household.current_members],
    }


@households.get("/", response=list[HouseholdOut])
@paginate(CursorPage)
def list_households(request, filters: Query[AreaFilter]):
    """Keluarga (KK) di wilayah pengguna, terbaru dahulu. Filter: ``kecamatan``, ``kelurahan`` (kode). ``count``
    dihitung sampai 10.000 (di atasnya ``count_exact`` bernilai false); halaman dalam: ikuti ``next`` (kursor), bukan
    ``offset`` yang besar."""
    require(request.user, Perm.PPKS_VIEW)
    qs = households_visible_to(request.user).filter_area(**filters.dict()).order_by("-id")
    # As the registry list: a count that stops at the cap, and deep pages after the last id instead of an offset
    # walking every household before them.
    unmasked = visibility_for(request.user).unmasked
    return LoggedPage(request, qs, household_out, unmasked=unmasked, total=lambda: total_of(qs))


@households.get("/{household_id}", response=HouseholdOut)
def get_household(request, household_id: int):
    household = get_object_or_404(households_visible_to(request.user), pk=household_id)
    log_one(request, household, unmasked=visibility_for(request.user, household).unmasked)
    return household_out(request, household)


MEMBERS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"person": {"type": "integer"}, "relationship": {"type": "string"}},
        "required": ["person", "relationship"],
    },
}


@households.post(
    "/",
    response={201: HouseholdOut, 202: RoutedOut, 429: Refusal},
    openapi_extra=form_body(HouseholdForm, {"members": MEMBERS_SCHEMA, "kelurahan": {"description": "kode kelurahan"}}),
)
def create_household(request, payload: Body[dict[str, Any]]):
    """Daftarkan keluarga sesuai KK: tepat satu kepala keluarga; anggota = orang yang sudah terdaftar. Bila No. KK
    sudah tercatat di luar wilayah pengguna: 202 dengan nomor permintaan ke Dinas Sosial (429 bila terlalu sering)."""
    require(request.user, Perm.PPKS_PROPOSE)
    form = valid_form(HouseholdForm, payload, user=request.user)
    result = _routed(requests.household_register, actor=request.user, **form.service_kwargs())
    if isinstance(result, Status):
        return result
    return Status(201, household_out(request, get_object_or_404(households_visible_to(request.user), pk=result.pk)))


# --- corrections (PATCH) ------------------------------------------------------------------------


def _editable_person(request, person_id: int) -> Person:
    person = get_object_or_404(persons_visible_to(request.user).select_related("village"), pk=person_id)
    if not can(request.user, Perm.REGISTRY_EDIT):
        raise PermissionDenied
    return person


def _reason_of(payload: dict[str, Any]) -> str:
    reason = payload.get("reason")
    return reason if isinstance(reason, str) else ""


@persons.patch(
    "/{person_id}", response={200: PersonOut, 202: RoutedOut, 429: Refusal}, openapi_extra=form_body(PersonForm)
)
def correct_person(request, person_id: int, payload: Body[dict[str, Any]]):
    """Perbaiki data orang (nama, tanggal lahir, jenis kelamin, alamat, NIK yang baru diketahui, ...).
    Kirim hanya kolom yang diubah, ditambah ``reason`` (wajib). NIK diperiksa seperti saat pendaftaran."""
    person = _editable_person(request, person_id)
    current = person_values(person)
    fields = {k: v for k, v in payload.items() if k != "reason"}
    unknown = sorted(set(fields) - set(current))
    if unknown:
        raise ValidationError({k: [_("Kolom ini tidak dapat diubah di sini.")] for k in unknown})
    form = valid(PersonForm({**current, **{k: "" if v is None else v for k, v in fields.items()}}, user=request.user))
    if "nik" in fields and requests.person_elsewhere(request.user, form.cleaned_data["nik"], exclude=person):
        # "Already registered" would reveal a NIK outside the user's area: Dinsos resolves it (no oracle).
        village = person.village or form.cleaned_data.get("village")
        return _routed(
            requests.correction_routed,
            actor=request.user,
            subject=person,
            kelurahan=village,
            value=form.cleaned_data["nik"],
        )
    person = corrections.person_correct(
        actor=request.user, person=person, changes={k: form.cleaned_data[k] for k in fields}, reason=_reason_of(payload)
    )
    return person_out(request, person)


class MemberIn(Schema):
    person: int
    relationship: str


class HouseholdPatch(Schema):
    reason: str = ""
    kk_number: str | None = None
    on: date | None = None
    add_member: MemberIn | None = None


@households.patch("/{household_id}", response={200: HouseholdOut, 202: RoutedOut, 429: Refusal})
def correct_household(request, household_id: int, payload: HouseholdPatch):
    """Ganti nomor KK (``kk_number``; nomor lama tetap di riwayat KK) dan/atau pindahkan seseorang ke KK ini
    (``add_member``: ``person``, ``relationship``); ``on`` tanggal berlaku (bawaan hari ini), ``reason`` wajib."""
    household = get_object_or_404(households_visible_to(request.user), pk=household_id)
    if not can(request.user, Perm.REGISTRY_EDIT, household):
        raise PermissionDenied
    on = payload.on or timezone.localdate()
    if payload.kk_number and requests.household_elsewhere(request.user, payload.kk_number, exclude=household):
        return _routed(
            requests.correction_routed,
            actor=request.user,
            subject=household,
            kelurahan=household.kelurahan,
            value=payload.kk_number,
        )
    with transaction.atomic():
        if payload.kk_number is not None:
            services.household_change_kk(
                actor=request.user, household=household, kk_number=payload.kk_number, on=on, reason=payload.reason
            )
        if payload.add_member is not None:
            person = get_object_or_404(persons_visible_to(request.user), pk=payload.add_member.person)
            corrections.household_member_move(
                actor=request.user,
                person=person,
                household=household,
                relationship=payload.add_member.relationship,
                on=on,
                reason=payload.reason,
            )
    return household_out(request, get_object_or_404(households_visible_to(request.user), pk=household.pk))
