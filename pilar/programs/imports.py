"""National-program flags of an imported DTKS/BNBA sheet (PKH, BPNT, PBI-JK) as enrollments.

The registry's importer calls this inside its own transaction (so a rolled-back import leaves no enrollment).
A flag in the ministry's data means the household already receives the program: the enrollment is recorded
as approved (``disetujui``) in the current period, with the import and row in its note, once per program and
subject (a family program once per household, however many members carry the flag).
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.programs.models import Enrollment, EnrollmentEvent, EnrollmentStatus, Program
from pilar.programs.periods import period_for

# (record id, person id, household id or None, kecamatan id, kelurahan id, sheet row, program codes)
Flagged = tuple[int, int, int | None, int, int, int, tuple[str, ...]]


def enroll_flagged(flagged: Iterable[Flagged], *, actor_id: int | None, job: Any) -> int:
    """Write the enrollments the flags call for; returns how many were added (existing ones are kept)."""
    flagged = list(flagged)
    job_id = job.pk
    note = _("Penerima menurut data DTKS/DTSEN (impor #%(job)s, baris %(row)d).")
    codes = {code for *_rest, row_codes in flagged for code in row_codes}
    programs = {p.code: p for p in Program.objects.filter(code__in=codes)}
    if not programs:
        return 0
    periods = {code: period_for(program) for code, program in programs.items()}
    taken = _enrolled(periods)
    now = timezone.now()
    added: list[Enrollment] = []
    for record_id, person_id, household_id, kecamatan_id, kelurahan_id, row, row_codes in flagged:
        for code in row_codes:
            program = programs.get(code)
            if program is None:
                continue  # the region pack has no such program
            subject: tuple[str, int]
            if program.subject == Program.Subject.FAMILY and household_id is not None:
                family, subject = True, ("household", household_id)
            else:
                family, subject = False, ("person", person_id)
            if (program.pk, *subject) in taken:
                continue
            taken.add((program.pk, *subject))
            added.append(
                Enrollment(
                    program=program,
                    period=periods[code],
                    record_id=record_id,
                    person_id=None if family else person_id,
                    household_id=household_id if family else None,
                    kecamatan_id=kecamatan_id,
                    kelurahan_id=kelurahan_id,
                    status=EnrollmentStatus.APPROVED,
                    proposed_by_id=actor_id,
                    proposed_at=now,
                    decided_by_id=actor_id,
                    decided_at=now,
                    note=note % {"job": job_id, "row": row},
                )
            )
    Enrollment.objects.bulk_create(added, batch_size=1000)
    EnrollmentEvent.objects.bulk_create(
        [
            EnrollmentEvent(
                enrollment=e,
                action="imported",
                from_status="",
                to_status=e.status,
                actor_id=actor_id,
                at=now,
                reason=e.note,
            )
            for e in added
        ],
        batch_size=1000,
    )
    if added:
        audit.record(
            job.user,
            "programs.enrollment.imported",
            job,
            data={
                "import_job": job_id,
                "count": len(added),
                "per_program": {code: sum(1 for e in added if e.program.code == code) for code in programs},
            },
        )
    return len(added)


def _enrolled(periods: dict[str, Any]) -> set[tuple[int, str, int]]:
    taken: set[tuple[int, str, int]] = set()
    current = Enrollment.objects.filter(period__in=periods.values()).exclude(status=EnrollmentStatus.REJECTED)
    for program_id, person_id, household_id in current.values_list("program_id", "person_id", "household_id"):
        taken.add((program_id, "household", household_id) if household_id else (program_id, "person", person_id))
    return taken


def flags_for(person_ids: list[int], household_ids: list[int]) -> dict[tuple[str, int], set[str]]:
    """The national programs (codes) each person or household currently takes part in, for the BNBA export:
    an enrollment proposed, approved or delivered, in any period, not rejected, exited or completed."""
    from pilar.registry.bnba import PROGRAMS

    live = Enrollment.objects.filter(program__code__in=list(PROGRAMS.values())).exclude(
        status__in=[EnrollmentStatus.REJECTED, EnrollmentStatus.EXITED, EnrollmentStatus.COMPLETED]
    )
    found: dict[tuple[str, int], set[str]] = {}
    for kind, ids in (("person", person_ids), ("household", household_ids)):
        for start in range(0, len(ids), 900):
            rows = live.filter(**{f"{kind}_id__in": ids[start : start + 900]}).values_list(
                f"{kind}_id", "program__code"
            )
            for pk, code in rows:
                found.setdefault((kind, pk), set()).add(code)
    return found
