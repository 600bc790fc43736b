"""Everything Pilar holds on one person, for an access request (UU PDP art. 7): JSON, and a PDF from the same data.

Included: identity, household and KK history, PPKS records with their verval history and evidence list,
cases with their events, visits and non-confidential notes (confidential notes are workers' assessments that
may name others, and are left out), program enrollments with their steps, complaints linked to the
person's cases (without the reporter, who is another person), and the complaints the person made where Dinsos
linked them as its reporter. Staff are named by role, not by account.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pilar.identity.models import Person

SCHEMA = "pilar.person-export/1"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else str(value)
    return value


# The columns of every record's history (``core.models.StepEvent``): PPKS, case and enrollment steps alike.
STEP = ("action", "from_status", "to_status", "at", "reason")


def _pick(obj: Any, *fields: str) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        display = getattr(obj, f"get_{name}_display", None)
        out[name] = display() if display and value else _plain(value)
    return out


def _region(region: Any) -> str | None:
    return f"{region.code} {region.name}" if region else None


def _identity(person: Person) -> dict[str, Any]:
    data = _pick(
        person,
        "nik",
        "name",
        "sex",
        "birth_place",
        "birth_date",
        "address",
        "rt",
        "rw",
        "phone",
        "education",
        "dukcapil_status",
        "created_at",
        "updated_at",
    )
    data["kelurahan"] = _region(person.village)
    data["restricted_since"] = _plain(person.restricted_at)
    return data


def _households(person: Person) -> list[dict[str, Any]]:
    out = []
    for member in person.memberships.select_related("household__kelurahan").order_by("since", "id"):
        household = member.household
        out.append(
            {
                "relationship": member.get_relationship_display(),
                "since": _plain(member.since),
                "until": _plain(member.until),
                "kk_number": household.kk_number,
                "address": household.address,
                "rt": household.rt,
                "rw": household.rw,
                "kelurahan": _region(household.kelurahan),
                "kk_history": [
                    _pick(k, "kk_number", "valid_from", "valid_until", "reason")
                    for k in household.kk_history.order_by("valid_from")
                ],
            }
        )
    return out


def _records(person: Person) -> list[dict[str, Any]]:
    from pilar.registry.models import PpksRecord

    household_ids = person.memberships.values("household_id")
    records = PpksRecord.objects.filter(person=person) | PpksRecord.objects.filter(household_id__in=household_ids)
    out = []
    records = records.select_related("category", "kelurahan").prefetch_related("events", "evidence")
    for record in records.order_by("id"):
        item = _pick(
            record,
            "id",
            "status",
            "source",
            "address",
            "rt",
            "rw",
            "notes",
            "proposed_at",
            "verified_at",
            "field_result",
            "validated_at",
            "exit_date",
            "exit_reason",
        )
        item |= {
            "category": f"{record.category.code} {record.category.name}",
            "kelurahan": _region(record.kelurahan),
            "for_household": record.person_id is None,
            "history": [_pick(e, *STEP) for e in record.events.all()],
            "evidence": [_pick(e, "note", "content_type", "size", "created_at") for e in record.evidence.all()],
        }
        out.append(item)
    return out


def _cases(person: Person) -> list[dict[str, Any]]:
    from pilar.cases.models import Case

    out = []
    for case in Case.objects.filter(person=person).select_related("category", "kelurahan").order_by("id"):
        item = _pick(
            case, "id", "source", "summary", "risk_level", "stage", "outcome", "close_reason", "closed_at", "created_at"
        )
        item |= {
            "category": str(case.category) if case.category else None,
            "kelurahan": _region(case.kelurahan),
            "events": [_pick(e, *STEP) for e in case.events.order_by("at")],
            "visits": [_pick(v, "visit_date", "findings") for v in case.visits.order_by("visit_date")],
            "notes": [_pick(n, "at", "text") for n in case.notes.filter(confidential=False).order_by("at")],
            "complaint": _complaint(case),
        }
        out.append(item)
    return out


def _complaint(case: Any) -> dict[str, Any] | None:
    complaint = getattr(case, "complaint", None)
    if complaint is None:
        return None
    return _pick(complaint, "tracking_code", "status", "created_at", "address", "description")


def _complaints_made(person: Person) -> list[dict[str, Any]]:
    """Complaints the person made, where Dinsos linked them as the reporter: what they reported and what became
    of it; not the name of the person they reported about, who is someone else."""
    out = []
    for complaint in person.complaints_made.select_related("kelurahan", "category").order_by("created_at", "id"):
        item = _pick(
            complaint,
            "tracking_code",
            "channel",
            "created_at",
            "status",
            "address",
            "rt",
            "rw",
            "description",
            "reporter_name",
            "reporter_phone",
            "triaged_at",
            "close_reason",
        )
        item |= {
            "kelurahan": _region(complaint.kelurahan),
            "category": str(complaint.category) if complaint.category else None,
        }
        out.append(item)
    return out


def _enrollments(person: Person) -> list[dict[str, Any]]:
    from pilar.programs.models import Enrollment

    household_ids = person.memberships.values("household_id")
    rows = Enrollment.objects.filter(person=person) | Enrollment.objects.filter(household_id__in=household_ids)
    out = []
    for enrollment in rows.select_related("program", "period").order_by("id"):
        item = _pick(
            enrollment,
            "status",
            "proposed_at",
            "decided_at",
            "reject_reason",
            "delivered_on",
            "amount",
            "item",
            "exit_date",
            "exit_reason",
        )
        item |= {
            "program": enrollment.program.name,
            "period": enrollment.period.key,
            "steps": [_pick(e, *STEP) for e in enrollment.events.order_by("at")],
        }
        out.append(item)
    return out


def person_export(person: Person) -> dict[str, Any]:
    """The export as a JSON-ready dict (the API answers exactly this)."""
    return {
        "schema": SCHEMA,
        "generated_at": timezone.localtime().isoformat(),
        "person": _identity(person),
        "households": _households(person),
        "ppks_records": _records(person),
        "cases": _cases(person),
        "enrollments": _enrollments(person),
        "complaints_made": _complaints_made(person),
    }
