"""Demo enrollments: every program has beneficiaries in several states, and a few Bedah Rumah houses go from
assessment to renovation. Written through the services (events, audit, quota), from validated registry records
that qualify; skipped when the demo enrollments are already there, so `pilar seed-demo` can run again.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q

from pilar.accounts.models import User
from pilar.programs import eligibility, services
from pilar.programs.models import Enrollment, HouseAssessment, Program
from pilar.registry.models import PpksRecord, PpksStatus

DEMO_NOTE = "Data demo."
PER_PROGRAM = 10
# The fate of each demo enrollment, in turn: most get their aid, some wait, one is refused, one leaves.
FATES = [
    "proposed",
    "completed",
    "delivered",
    "approved",
    "rejected",
    "delivered",
    "completed",
    "proposed",
    "exited",
    "approved",
]
HOUSE_FATES = ["proposed", "renovated", "approved", "assessed", "renovated", "not_rtlh", "renovated", "proposed"]
RTLH_CHECKLIST = {
    "structure": "rusak_ringan",
    "roof": "rusak_berat",
    "walls": "rusak_berat",
    "floor": "rusak_ringan",
    "sanitation": "rusak_berat",
    "water": "rusak_ringan",
    "light_air": "rusak_ringan",
    "electricity": "baik",
}
SOUND_CHECKLIST = dict.fromkeys(RTLH_CHECKLIST, "baik") | {"light_air": "rusak_ringan"}


def programs_totals() -> dict[str, int]:
    return {
        "Penerima program": Enrollment.objects.count(),
        "Penilaian rumah (Bedah Rumah)": HouseAssessment.objects.count(),
        "Rumah selesai direnovasi": HouseAssessment.objects.filter(status=HouseAssessment.Status.RENOVATED).count(),
    }


def _candidates(program: Program, today: date, count: int) -> list[PpksRecord]:
    """Validated records that qualify for ``program`` today, spread over the city (a few per kecamatan)."""
    qs = PpksRecord.objects.filter(status=PpksStatus.VALIDATED).select_related("person", "household__head", "category")
    categories = list(program.categories.all())
    if categories:
        qs = qs.filter(category__in=categories)
    if program.subject == Program.Subject.FAMILY:
        qs = qs.filter(household__isnull=False)
    elif program.subject == Program.Subject.PERSON:
        qs = qs.filter(person__isnull=False)
    if program.min_age is not None:
        qs = qs.filter(Q(person__birth_date__lte=date(today.year - program.min_age, today.month, min(today.day, 28))))
    chosen: list[PpksRecord] = []
    per_kecamatan: Counter = Counter()
    for record in qs.order_by("id")[: count * 40].iterator():
        if per_kecamatan[record.kecamatan_id] >= 2 or eligibility.failures(program, record, on=today):
            continue
        chosen.append(record)
        per_kecamatan[record.kecamatan_id] += 1
        if len(chosen) == count:
            break
    return chosen


def _proposer(record: PpksRecord, psm_by_village: dict[int, User], tksk_by_kecamatan: dict[int, User]) -> User | None:
    return psm_by_village.get(record.kelurahan_id) or tksk_by_kecamatan.get(record.kecamatan_id)


def _move(enrollment: Enrollment, fate: str, operator: User, today: date) -> None:
    if fate == "proposed":
        return
    if fate == "rejected":
        services.enrollment_reject(enrollment=enrollment, actor=operator, reason="Sudah menerima bantuan serupa.")
        return
    services.enrollment_approve(enrollment=enrollment, actor=operator, note=DEMO_NOTE)
    if fate == "exited":
        services.enrollment_exit(enrollment=enrollment, actor=operator, on=today, reason="pindah", note=DEMO_NOTE)
    if fate in ("delivered", "completed"):
        program = enrollment.program
        item = "" if program.kind == Program.Kind.CASH else program.benefit
        # PKH is paid per family component and has no fixed amount: one tahap of a typical family.
        amount = Decimal(750_000) if program.kind == Program.Kind.CASH and not program.default_amount else None
        services.enrollment_deliver(
            enrollment=enrollment,
            actor=operator,
            on=max(today - timedelta(days=3), enrollment.period.starts_on),
            amount=amount,
            item=item,
        )
    if fate == "completed":
        services.enrollment_complete(enrollment=enrollment, actor=operator, note=DEMO_NOTE)


def _house(enrollment: Enrollment, fate: str, operator: User, tksk: User | None, today: date) -> None:
    if fate == "proposed" or tksk is None:
        return
    checklist = SOUND_CHECKLIST if fate == "not_rtlh" else RTLH_CHECKLIST
    assessment = services.house_assess(
        enrollment=enrollment,
        actor=tksk,
        checklist=checklist,
        floor_area=Decimal(54),
        occupants=5,
        on=today - timedelta(days=30),
        note=DEMO_NOTE,
    )
    if fate == "not_rtlh":
        services.enrollment_reject(enrollment=enrollment, actor=operator, reason="Rumah dinilai layak huni.")
    if fate in ("approved", "renovated"):
        services.enrollment_approve(enrollment=enrollment, actor=operator, note=DEMO_NOTE)
    if fate == "renovated":
        services.house_renovate(
            assessment=assessment,
            actor=operator,
            on=today - timedelta(days=2),
            cost=Decimal(19_750_000),
            note=DEMO_NOTE,
        )


def seed_programs(
    *, operator: User, tksk_by_kecamatan: dict[int, User], psm_by_village: dict[int, User], today: date
) -> Counter:
    """Write the demo enrollments (in the caller's transaction); returns what was created."""
    made: Counter = Counter()
    if Enrollment.objects.filter(note=DEMO_NOTE).exists():
        return made
    for program in Program.objects.filter(is_active=True).prefetch_related("categories").order_by("code"):
        is_house = program.kind == Program.Kind.HOUSE
        fates = HOUSE_FATES if is_house else FATES
        for record, fate in zip(_candidates(program, today, len(fates)), fates, strict=False):
            proposer = _proposer(record, psm_by_village, tksk_by_kecamatan)
            if proposer is None:
                continue
            enrollment = services.enrollment_propose(actor=proposer, program=program, record=record, note=DEMO_NOTE)
            made["penerima program"] += 1
            if is_house:
                _house(enrollment, fate, operator, tksk_by_kecamatan.get(record.kecamatan_id), today)
            else:
                _move(enrollment, fate, operator, today)
    made["penilaian rumah"] = HouseAssessment.objects.filter(note=DEMO_NOTE).count()
    return made


HISTORY_NOTE = "Riwayat penyaluran demo."
HISTORY_MONTHS = 36


def seed_program_history(*, operator: User, today: date) -> Counter:
    """Three years of past deliveries (bulk, completed), so that trends and the program report show movement.

    Written directly: the services would date everything today. Each month a few validated records get each
    cash, goods or service program; once per subject, program and period, as the database requires.
    """
    import random

    from django.utils import timezone

    from pilar import audit
    from pilar.programs.periods import period_for, period_key

    made: Counter = Counter()
    if Enrollment.objects.filter(note=HISTORY_NOTE).exists():
        return made
    rng = random.Random(20240101)
    programs = list(Program.objects.exclude(kind=Program.Kind.HOUSE).filter(is_active=True).order_by("code"))
    validated = PpksRecord.objects.filter(status=PpksStatus.VALIDATED, validated_at__isnull=False).order_by("pk")
    records = list(validated.only("pk", "person_id", "household_id", "kecamatan_id", "kelurahan_id", "validated_at"))
    validated_on = {r.pk: timezone.localtime(r.validated_at).date() for r in records}
    rows, taken = [], set()
    first = today.replace(day=1)
    for back in range(HISTORY_MONTHS, 0, -1):
        index = first.year * 12 + first.month - 1 - back
        month = date(index // 12, index % 12 + 1, 1)
        ready = [r for r in records if validated_on[r.pk] < month]
        for program in programs:
            period = period_for(program, period_key(program, month))
            for record in rng.sample(ready, min(len(ready), rng.randint(2, 6))):
                family = program.subject == Program.Subject.FAMILY
                person, household = (None, record.household_id) if family else (record.person_id, None)
                if not (person or household) or (program.pk, period.pk, person, household) in taken:
                    continue
                taken.add((program.pk, period.pk, person, household))
                delivered = month + timedelta(days=rng.randint(0, 27))
                at = timezone.make_aware(datetime.combine(delivered - timedelta(days=20), time(9)))
                rows.append(
                    Enrollment(
                        program=program,
                        period=period,
                        record=record,
                        person_id=person,
                        household_id=household,
                        kecamatan_id=record.kecamatan_id,
                        kelurahan_id=record.kelurahan_id,
                        status="selesai",
                        proposed_by=operator,
                        proposed_at=at,
                        decided_by=operator,
                        decided_at=at + timedelta(days=5),
                        delivered_on=delivered,
                        amount=program.default_amount,
                        note=HISTORY_NOTE,
                    )
                )
    Enrollment.objects.bulk_create(rows, batch_size=1000)
    audit.record_many(operator, "programs.enrollment.demo", rows)
    made["penyaluran program (riwayat 36 bulan)"] = len(rows)
    return made
