"""Corrections to the registry's persons and households: one service each, in a transaction, audited with
the reason the officer gave. A KK number change is ``services.household_change_kk`` (the KK history).

The NIK is checked as at registration: well-formed (the form), consistent with the birth date and sex it
encodes, and held by no other person. A NIK may be added later or a mistyped one corrected, always with a
reason; the audit entry keeps the old value.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core.errors import chosen
from pilar.identity.models import Person
from pilar.identity.nik import check_nik_consistency
from pilar.registry.models import Household, HouseholdMember, Relationship
from pilar.registry.services import PERSON_AUDIT_FIELDS

CORRECTABLE = ("nik", "name", "sex", "birth_place", "birth_date", "address", "rt", "rw", "village", "phone")


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": [_("Alasan perbaikan wajib diisi.")]})
    return reason.strip()


@transaction.atomic
def person_correct(*, actor: User, person: Person, changes: dict[str, Any], reason: str) -> Person:
    """Set the given fields (``CORRECTABLE``) of ``person``; nothing is saved when any check fails."""
    reason = _reason(reason)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError({field: [_("Kolom ini tidak dapat diubah di sini.")] for field in sorted(unknown)})
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person, PERSON_AUDIT_FIELDS)
    for field, value in changes.items():
        setattr(person, field, value if field != "nik" else (value or None))
    _check_person(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise ValidationError({"nik": [_("NIK ini sudah terdaftar. Satu NIK hanya untuk satu orang.")]}) from exc
    diff = audit.diff(before, audit.snapshot(person, PERSON_AUDIT_FIELDS))
    if diff:
        audit.record(actor, "registry.person.corrected", person, changes=diff, data={"reason": reason})
    return person


def _check_person(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    if person.nik:
        for field, message in check_nik_consistency(person.nik, birth_date=person.birth_date, sex=person.sex):
            errors.setdefault(field, []).append(message)
        if Person.objects.filter(nik=person.nik).exclude(pk=person.pk).exists():
            errors.setdefault("nik", []).append(_("NIK ini sudah terdaftar. Satu NIK hanya untuk satu orang."))
    if person.birth_date and person.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("Tanggal lahir tidak boleh di masa depan."))
    if not person.name.strip():
        errors.setdefault("name", []).append(_("Nama wajib diisi."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def household_member_move(
    *, actor: User, person: Person, household: Household, relationship: str, on: date, reason: str
) -> HouseholdMember:
    """``person`` leaves their current household (kept as a past membership) and joins ``household``."""
    reason = _reason(reason)
    chosen("relationship", relationship, Relationship.values, _("Hubungan keluarga (SHDK) tidak dikenal."))
    if on > timezone.localdate():
        raise ValidationError({"on": [_("Tanggal pindah tidak boleh di masa depan.")]})
    household = Household.objects.select_for_update().get(pk=household.pk)
    current = HouseholdMember.objects.select_for_update().filter(person=person, until__isnull=True).first()
    if current is not None and current.household_id == household.pk:
        raise ValidationError({"household": [_("Orang ini sudah anggota KK tersebut.")]})
    if current is not None and current.household.head_id == person.pk:
        message = _("Kepala keluarga tidak dapat dipindah: ganti kepala keluarga KK-nya dulu.")
        raise ValidationError({"person": [message]})
    if relationship == Relationship.HEAD and household.head_id is not None:
        raise ValidationError({"relationship": [_("KK tujuan sudah memiliki kepala keluarga.")]})
    if current is not None:
        current.until = on
        current.save(update_fields=["until", "updated_at"])
    member = HouseholdMember.objects.create(household=household, person=person, relationship=relationship, since=on)
    if relationship == Relationship.HEAD:
        household.head = person
        household.save(update_fields=["head", "updated_at"])
    audit.record(
        actor,
        "registry.household.member_moved",
        person,
        data={
            "from": current.household_id if current else None,
            "to": household.pk,
            "relationship": relationship,
            "on": on.isoformat(),
            "reason": reason,
        },
    )
    return member
