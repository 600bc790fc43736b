"""Resolving the data conflicts an import held for review: one service each, in a transaction, audited; the two
steps of ``registry.workflow.CONFLICT``, whose guard each calls first (an open conflict, the import permission).

* Same person: for each disagreeing field the operator keeps the stored value or takes the file's; the
  taken ones go through the person-correction service (NIK checks, its own audit entry), a taken KK moves
  the person to the household registered under it (registered from the row first when the registry does not
  know that KK yet, as the import itself would); then the row's PPKS record is written as the import
  would have (unless the person already has an open record in that category).
* Different person: the row's NIK belongs to someone else, so the row's person is registered without a
  NIK, flagged for Dukcapil follow-up ("tidak padan"), linked to the conflict, in the row's KK (if any), with
  the row's record.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.identity.models import DukcapilStatus, Person
from pilar.regions.models import Region
from pilar.registry.corrections import household_member_move, person_correct
from pilar.registry.import_models import ImportConflict
from pilar.registry.models import (
    Category,
    Household,
    HouseholdKk,
    HouseholdMember,
    PpksEvent,
    PpksRecord,
    Relationship,
)
from pilar.registry.services import OPEN_STATUSES, PersonData, person_create
from pilar.registry.workflow import CONFLICT

KEEP, TAKE = "keep", "take"
PERSON_FIELDS = ("name", "sex", "birth_date")


def shown_fields(conflict: ImportConflict, view: Any) -> list[dict[str, Any]]:
    """The disagreements as the user may see them (the same visibility table as the person's page)."""
    shown = []
    for item in conflict.fields:
        show = {
            "name": view.name,
            "kk": view.kk,
            "sex": lambda v: v,
            "birth_date": lambda v: _iso(view.birth_date(date.fromisoformat(v)) if v else None),
        }[item["field"]]
        shown.append({**item, "row": show(item["row"]), "stored": show(item["stored"])})
    return shown


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _checked_choices(conflict: ImportConflict, choices: dict[str, str]) -> dict[str, str]:
    """One choice (keep or take) for every disagreeing field, named by its label when missing."""
    errors: dict[str, list[str]] = {}
    chosen = {}
    for item in conflict.fields:
        value = (choices.get(item["field"]) or "").strip()
        if value not in (KEEP, TAKE):
            errors[item["field"]] = [
                _("%(label)s: pilih pertahankan data tercatat atau ambil data berkas.") % {"label": item["label"]}
            ]
        chosen[item["field"]] = value
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def conflict_resolve_same(*, conflict: ImportConflict, actor: User, choices: dict[str, str]) -> ImportConflict:
    """The row is the stored person: apply the fields chosen from the file, then write the row's record."""
    conflict = CONFLICT.guard("same", conflict, actor)
    chosen = _checked_choices(conflict, choices)
    values = conflict.values
    person = conflict.person
    reason = _("Konflik impor #%(job)d baris %(row)d: data dari berkas diambil.") % {
        "job": conflict.job_id,
        "row": conflict.row,
    }
    changes: dict[str, Any] = {}
    for field in PERSON_FIELDS:
        if chosen.get(field) == TAKE:
            changes[field] = date.fromisoformat(values[field]) if field == "birth_date" else values[field]
    if changes:
        person = person_correct(actor=actor, person=person, changes=changes, reason=reason)
        _mark_source(person, conflict)
    if chosen.get("kk") == TAKE:
        _move_to_kk(person, values, actor, reason)
    conflict.record = _record_from_row(conflict, person, actor)
    return _close(conflict, ImportConflict.Status.SAME, actor, chosen)


@transaction.atomic
def conflict_resolve_different(*, conflict: ImportConflict, actor: User) -> ImportConflict:
    """The row's NIK is wrong: its person is registered without NIK, flagged for Dukcapil, with the record."""
    conflict = CONFLICT.guard("different", conflict, actor)
    values = conflict.values
    person = person_create(
        actor=actor,
        data=PersonData(
            name=values["name"],
            sex=values["sex"],
            nik=None,
            birth_date=date.fromisoformat(values["birth_date"]) if values.get("birth_date") else None,
            birth_place=values.get("birth_place", ""),
            address=values.get("address", ""),
            rt=values.get("rt", ""),
            rw=values.get("rw", ""),
            village=Region.objects.get(pk=values["kelurahan_id"]),
        ),
    )
    person.dukcapil_status = DukcapilStatus.UNMATCHED
    person.source_import, person.source_row = conflict.job_id, conflict.row
    person.save(update_fields=["dukcapil_status", "source_import", "source_row", "updated_at"])
    if values.get("kk"):  # the row's KK, as the import would have done (registered from the row if new)
        reason = _("Konflik impor #%(job)d baris %(row)d: orang yang berbeda.") % {
            "job": conflict.job_id,
            "row": conflict.row,
        }
        _move_to_kk(person, values, actor, reason)
    conflict.new_person = person
    conflict.record = _record_from_row(conflict, person, actor)
    return _close(conflict, ImportConflict.Status.DIFFERENT, actor, {})


def _close(conflict: ImportConflict, status: str, actor: User, chosen: dict[str, str]) -> ImportConflict:
    conflict.status, conflict.choices = status, chosen
    conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
    conflict.save()
    audit.record(
        actor,
        "registry.import_conflict.resolved",
        conflict,
        data={
            "job": conflict.job_id,
            "row": conflict.row,
            "resolution": status,
            "choices": chosen,
            "person": conflict.person_id,
            "new_person": conflict.new_person_id,
            "record": conflict.record_id,
        },
    )
    return conflict


def _mark_source(person: Person, conflict: ImportConflict) -> None:
    person.source_import, person.source_row = conflict.job_id, conflict.row
    person.save(update_fields=["source_import", "source_row", "updated_at"])


def _move_to_kk(person: Person, values: dict[str, Any], actor: User, reason: str) -> None:
    household = Household.objects.filter(kk_number=values["kk"]).first() or _household_from_row(values, actor, reason)
    relationship = values.get("relationship") or Relationship.OTHER
    if relationship == Relationship.HEAD and household.head_id is not None:
        relationship = Relationship.OTHER  # the KK already has its head; the SHDK can be corrected later
    household_member_move(
        actor=actor,
        person=person,
        household=household,
        relationship=relationship,
        on=timezone.localdate(),
        reason=reason,
    )


def _household_from_row(values: dict[str, Any], actor: User, reason: str) -> Household:
    """A KK the registry does not know yet is registered from the row, as the import registers a new KK: its
    number, address, RT/RW and kelurahan from the file, no head until a member joins as head."""
    household = Household.objects.create(
        kk_number=values["kk"],
        address=values.get("address", ""),
        rt=values.get("rt", ""),
        rw=values.get("rw", ""),
        kelurahan_id=values["kelurahan_id"],
        kecamatan_id=values["kecamatan_id"],
    )
    HouseholdKk.objects.create(household=household, kk_number=values["kk"], valid_from=timezone.localdate())
    audit.record(
        actor,
        "registry.household.created",
        household,
        data={
            "kk_number": household.kk_number,
            "members": 0,
            "source": "import_conflict",
            "reason": reason,
        },
    )
    return household


def _record_from_row(conflict: ImportConflict, person: Person, actor: User) -> PpksRecord | None:
    """The PPKS record the import would have written for the row (None: the person already has it open)."""
    values = conflict.values
    category = Category.objects.get(pk=values["category_id"])
    if PpksRecord.objects.filter(person=person, category=category, status__in=OPEN_STATUSES).exists():
        return None
    household = None
    if values.get("for_family"):
        member = HouseholdMember.objects.filter(person=person, until__isnull=True).first()
        household = member.household if member else None  # none: "KK belum diketahui", as the import does
    now = timezone.now()
    record = PpksRecord.objects.create(
        person=person,
        household=household,
        category=category,
        kelurahan_id=values["kelurahan_id"],
        kecamatan_id=values["kecamatan_id"],
        rt=values.get("rt", ""),
        rw=values.get("rw", ""),
        address=values.get("address", ""),
        notes=values.get("notes", ""),
        source="impor",
        status=PpksRecord._meta.get_field("status").default,
        reported_by=actor,
        proposed_at=now,
        import_job_id=conflict.job_id,
        source_row=conflict.row,
    )
    PpksEvent.objects.create(
        record=record, action="proposed", from_status="", to_status=record.status, actor=actor, at=now
    )
    audit.record(
        actor,
        "registry.ppks.proposed",
        record,
        changes={"status": [None, record.status]},
        data={"import_job": conflict.job_id, "row": conflict.row},
    )
    return record
