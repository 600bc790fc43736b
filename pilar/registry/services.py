"""Every change to the registry: one function each, in a transaction, with its verval event and audit entry.

The verval workflow (Permensos 3/2021: usulan → verifikasi dan validasi → penetapan):
diusulkan → diverifikasi (field check: ditemukan) → ditetapkan → keluar;
a field check that does not find the subject, or a reviewer, may reject (ditolak) or send the
record back to its proposer (perlu perbaikan → diusulkan again). Nobody verifies or validates
their own proposal. The steps are declared in ``registry.workflow.PPKS``; each service calls its guard first
(row lock, source state, permission, "not your own proposal"), which refuses with ``Refused`` (409/403).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core.errors import chosen, field_error, not_future, required_text
from pilar.identity.kk import KkError, validate_kk
from pilar.identity.models import Person
from pilar.identity.nik import check_nik_consistency
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of
from pilar.registry.models import (
    Category,
    ExitReason,
    FieldResult,
    Household,
    HouseholdKk,
    HouseholdMember,
    PpksRecord,
    PpksStatus,
    Relationship,
    Source,
)
from pilar.registry.workflow import PPKS

S = PpksStatus
OPEN_STATUSES = (S.PROPOSED, S.NEEDS_FIX, S.VERIFIED, S.VALIDATED)
PERSON_AUDIT_FIELDS = ("nik", "name", "sex", "birth_place", "birth_date", "address", "rt", "rw", "village")


@dataclass
class PersonData:
    name: str
    sex: str
    nik: str | None = None
    birth_date: date | None = None
    birth_place: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    village: Region | None = None
    phone: str = ""


def _kecamatan(kelurahan: Region) -> Region:
    # A kelurahan always lies in a kecamatan (the region tree is loaded whole); only a region above one has none.
    return cast(Region, kecamatan_of(kelurahan))


@transaction.atomic
def person_create(*, actor: User, data: PersonData) -> Person:
    """A registry person; without a NIK they are kept and flagged for Dukcapil follow-up."""
    errors: dict[str, list[str]] = {}
    if data.nik:
        for field, message in check_nik_consistency(data.nik, birth_date=data.birth_date, sex=data.sex):
            errors.setdefault(field, []).append(message)
        if Person.objects.filter(nik=data.nik).exists():
            errors.setdefault("nik", []).append(_("NIK ini sudah terdaftar. Satu NIK hanya untuk satu orang."))
    if data.birth_date and data.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("Tanggal lahir tidak boleh di masa depan."))
    if errors:
        raise ValidationError(errors)
    person = Person(**{**data.__dict__, "nik": data.nik or None})
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise field_error("nik", _("NIK ini sudah terdaftar. Satu NIK hanya untuk satu orang.")) from exc
    audit.record_created(actor, "registry.person.created", person, PERSON_AUDIT_FIELDS)
    return person


def _check_kk(kk_number: str, *, exclude: Household | None = None) -> str:
    try:
        kk = validate_kk(kk_number)
    except KkError as exc:
        raise field_error("kk_number", exc.message) from exc
    others = Household.objects.filter(kk_number=kk)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise field_error("kk_number", _("Nomor KK ini sudah terdaftar untuk keluarga lain."))
    return kk


@transaction.atomic
def household_create(
    *,
    actor: User,
    kk_number: str,
    kelurahan: Region,
    members: list[tuple[Person, str]],
    address: str = "",
    rt: str = "",
    rw: str = "",
    since: date | None = None,
) -> Household:
    """A family as on its KK, with exactly one head and each member in one household at a time."""
    kk = _check_kk(kk_number)
    heads = [p for p, rel in members if rel == Relationship.HEAD]
    if len(heads) != 1:
        raise field_error("members", _("Satu KK harus memiliki tepat satu kepala keluarga."))
    persons = [p for p, _rel in members]
    if len(set(p.pk for p in persons)) != len(persons):
        raise field_error("members", _("Seseorang tercatat dua kali dalam KK ini."))
    busy = HouseholdMember.objects.filter(person__in=persons, until__isnull=True).select_related("person").first()
    if busy is not None:
        raise field_error("members", _("%(name)s masih tercatat di KK lain.") % {"name": busy.person.name})
    household = Household.objects.create(
        kk_number=kk,
        head=heads[0],
        address=address,
        rt=rt,
        rw=rw,
        kelurahan=kelurahan,
        kecamatan=_kecamatan(kelurahan),
    )
    HouseholdKk.objects.create(household=household, kk_number=kk, valid_from=since or timezone.localdate())
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(household=household, person=p, relationship=rel, since=since) for p, rel in members]
    )
    audit.record(
        actor,
        "registry.household.created",
        household,
        data={"kk_number": kk, "members": len(members), "kelurahan": kelurahan.code},
    )
    return household


@transaction.atomic
def household_change_kk(*, actor: User, household: Household, kk_number: str, on: date, reason: str) -> Household:
    """A new KK number (family split, move): the old one is kept in the history, not overwritten."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    kk = _check_kk(kk_number, exclude=household)
    if kk == household.kk_number:
        raise field_error("kk_number", _("Nomor KK sama dengan yang sekarang."))
    if not reason.strip():
        raise field_error("reason", _("Alasan perubahan nomor KK wajib diisi."))
    household.kk_history.filter(valid_until__isnull=True).update(valid_until=on)
    HouseholdKk.objects.create(household=household, kk_number=kk, valid_from=on, reason=reason.strip())
    old, household.kk_number = household.kk_number, kk
    household.save(update_fields=["kk_number", "updated_at"])
    audit.record(
        actor,
        "registry.household.kk_changed",
        household,
        changes={"kk_number": [old, kk]},
        data={"reason": reason.strip()},
    )
    return household


def _check_subject(category: Category, person: Person | None, household: Household | None) -> None:
    if person is None and household is None:
        raise field_error("person", _("Pilih orang atau keluarga yang diusulkan."))
    if category.kind not in Category.RECORDED_KINDS:
        raise field_error("category", _("Kategori harus salah satu dari 26 jenis PPKS atau RTLH."))
    if category.subject == Category.Subject.PERSON and person is None:
        raise field_error("person", _("Kategori %(c)s untuk perorangan: pilih orangnya.") % {"c": category.name})
    if category.subject == Category.Subject.FAMILY and household is None:
        raise field_error("household", _("Kategori %(c)s untuk keluarga: pilih KK-nya.") % {"c": category.name})


def _event(record: PpksRecord, actor: User, action: str, old: str, *, reason: str = "", result: str = "") -> None:
    status = (old, record.status)
    data = {"reason": reason, "field_result": result} if reason or result else None
    audit.record_transition(
        actor, f"registry.ppks.{action}", record, status, record.events, data=data, reason=reason, field_result=result
    )


@transaction.atomic
def ppks_propose(
    *,
    actor: User,
    category: Category,
    kelurahan: Region,
    source: str,
    person: Person | None = None,
    household: Household | None = None,
    rt: str = "",
    rw: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    notes: str = "",
) -> PpksRecord:
    _check_subject(category, person, household)
    chosen("source", source, Source.values, _("Sumber usulan tidak dikenal."))
    if (latitude is None) != (longitude is None):
        raise field_error("latitude", _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))
    earlier = (
        PpksRecord.objects.filter(category=category, status__in=OPEN_STATUSES)
        .filter(**({"person": person} if person else {"household": household}))
        .order_by("id")
        .first()
    )
    record = PpksRecord.objects.create(
        person=person,
        household=household,
        category=category,
        kelurahan=kelurahan,
        kecamatan=_kecamatan(kelurahan),
        rt=rt,
        rw=rw,
        address=address,
        latitude=latitude,
        longitude=longitude,
        notes=notes,
        source=source,
        status=S.PROPOSED,
        reported_by=actor,
        proposed_at=timezone.now(),
        duplicate_of=earlier,
    )
    _event(record, actor, "proposed", "", reason=notes)
    return record


@transaction.atomic
def ppks_verify(*, record: PpksRecord, actor: User, result: str, note: str = "") -> PpksRecord:
    """The field check: found → diverifikasi; not found, moved or died → ditolak with that reason."""
    record = PPKS.guard("verify", record, actor)
    chosen("result", result, FieldResult.values, _("Hasil verifikasi lapangan wajib dipilih."))
    old = record.status
    record.status = S.VERIFIED if result == FieldResult.FOUND else S.REJECTED
    record.field_result, record.verified_by, record.verified_at = result, actor, timezone.now()
    record.save(update_fields=["status", "field_result", "verified_by", "verified_at", "updated_at"])
    _event(record, actor, "verified", old, reason=note, result=result)
    return record


@transaction.atomic
def ppks_validate(*, record: PpksRecord, actor: User, note: str = "") -> PpksRecord:
    record = PPKS.guard("validate", record, actor)
    old = record.status
    record.status, record.validated_by, record.validated_at = S.VALIDATED, actor, timezone.now()
    record.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])
    _event(record, actor, "validated", old, reason=note)
    return record


def _decide_with_reason(step: str, record: PpksRecord, actor: User, reason: str, to: str, action: str) -> PpksRecord:
    """The steps that only move the record to ``to`` and say why (return, reject)."""
    reason = required_text("reason", reason, _("Alasan wajib diisi."))
    record = PPKS.guard(step, record, actor)
    old, record.status = record.status, to
    record.save(update_fields=["status", "updated_at"])
    _event(record, actor, action, old, reason=reason)
    return record


@transaction.atomic
def ppks_return(*, record: PpksRecord, actor: User, reason: str) -> PpksRecord:
    """Back to the proposer for correction, with what to fix."""
    return _decide_with_reason("return", record, actor, reason, S.NEEDS_FIX, "returned")


@transaction.atomic
def ppks_resubmit(*, record: PpksRecord, actor: User, note: str, **fixes: Any) -> PpksRecord:
    """The proposer's corrected record goes back into verification."""
    allowed = {"rt", "rw", "address", "notes", "latitude", "longitude"}
    if set(fixes) - allowed:
        raise ValueError(f"ppks_resubmit cannot change {sorted(set(fixes) - allowed)}")
    record = PPKS.guard("resubmit", record, actor)
    old = record.status
    for field, value in fixes.items():
        setattr(record, field, value)
    record.status, record.field_result = S.PROPOSED, ""
    record.verified_by_id = None
    record.verified_at = None
    record.save()
    _event(record, actor, "resubmitted", old, reason=note)
    return record


@transaction.atomic
def ppks_reject(*, record: PpksRecord, actor: User, reason: str) -> PpksRecord:
    return _decide_with_reason("reject", record, actor, reason, S.REJECTED, "rejected")


@transaction.atomic
def ppks_exit(*, record: PpksRecord, actor: User, on: date, reason: str, note: str = "") -> PpksRecord:
    """A validated record leaves the registry: graduated, died, moved or no longer eligible."""
    chosen("reason", reason, ExitReason.values, _("Alasan keluar wajib dipilih."))
    record = PPKS.guard("exit", record, actor)
    not_future("on", on, _("Tanggal keluar tidak boleh di masa depan."))
    old = record.status
    record.status, record.exit_date, record.exit_reason = S.EXITED, on, reason
    record.save(update_fields=["status", "exit_date", "exit_reason", "updated_at"])
    # str(): the label is a lazy translation, which the audit entry's JSON cannot hold.
    _event(record, actor, "exited", old, reason=note or str(ExitReason(reason).label))
    return record
