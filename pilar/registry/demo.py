"""A realistic demo registry: about 20,000 persons in households, all 26 PPKS kinds, every verval state.

Deterministic (one seed), written with bulk inserts in the caller's transaction, and skipped when
it is already there, so that `pilar seed-demo` can run any number of times.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from faker import Faker

from pilar import audit
from pilar.accounts.models import User
from pilar.identity.models import Person
from pilar.identity.names import normalize_name
from pilar.identity.nik import make_nik
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of_village
from pilar.registry.models import (
    Category,
    ExitReason,
    FieldResult,
    Household,
    HouseholdKk,
    HouseholdMember,
    PpksEvent,
    PpksRecord,
    PpksStatus,
    Relationship,
    Source,
)

SEED = 20180327
HOUSEHOLDS = 5600
TZ = ZoneInfo("Asia/Jakarta")
# Share of records per final status: most are settled, every state is present.
STATUS_MIX = [
    ("ditetapkan", 52),
    ("diverifikasi", 12),
    ("diusulkan", 14),
    ("perlu_perbaikan", 5),
    ("ditolak", 9),
    ("keluar", 8),
]
# Relative frequency of the PPKS kinds in a city like Tangerang (poverty, elderly, disability first).
CATEGORY_WEIGHT = {
    24: 30,
    8: 14,
    9: 12,
    23: 8,
    2: 4,
    1: 2,
    5: 3,
    19: 3,
    11: 2,
    12: 2,
    13: 3,
    4: 2,
    21: 3,
    22: 1,
    25: 2,
    6: 2,
    7: 1,
    3: 1,
    15: 1,
    16: 1,
    17: 1,
    18: 1,
    20: 1,
    10: 1,
    14: 1,
    26: 1,
}
MARKER_KK_SUFFIX = "9001"


def _when(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=TZ)


class _People:
    def __init__(self, rng: random.Random) -> None:
        fake = Faker("id_ID")
        fake.seed_instance(SEED)
        self.rng = rng
        self.female = [fake.first_name_female() for _ in range(400)]
        self.male = [fake.first_name_male() for _ in range(400)]
        self.last = [fake.last_name() for _ in range(400)]
        self.streets = [fake.street_name() for _ in range(300)]
        # NIK serials count per region, birth date and sex; from 5001, clear of the workforce demo's.
        self.serials: Counter = Counter()

    def person(self, *, village: Region, sex: str, born: date, family: str, with_nik: bool = True) -> Person:
        first = self.rng.choice(self.female if sex == "P" else self.male)
        name = f"{first} {family}"
        # The NIK holds two digits of the year: count per (region, day, month, yy, sex).
        kecamatan_code = kecamatan_of_village(village).code
        key = (kecamatan_code, born.day, born.month, born.year % 100, sex)
        self.serials[key] += 1
        nik = make_nik(kecamatan_code=kecamatan_code, birth_date=born, sex=sex, serial=5000 + self.serials[key])
        return Person(
            name=name,
            name_normalized=normalize_name(name),
            sex=sex,
            birth_date=born,
            village=village,
            birth_place="Tangerang",
            nik=nik if with_nik else None,
        )


def _family(people: _People, village: Region, today: date) -> list[tuple[Person, str]]:
    rng = people.rng
    family = rng.choice(people.last)
    head_sex = "L" if rng.random() < 0.8 else "P"
    head_born = today - timedelta(days=rng.randint(25 * 365, 80 * 365))
    members: list[tuple[Person, str]] = [
        (people.person(village=village, sex=head_sex, born=head_born, family=family), Relationship.HEAD)
    ]
    if head_sex == "L" and rng.random() < 0.85:
        spouse_born = head_born + timedelta(days=rng.randint(-5 * 365, 8 * 365))
        members.append((people.person(village=village, sex="P", born=spouse_born, family=family), Relationship.WIFE))
    youngest = min(today - timedelta(days=365), head_born + timedelta(days=40 * 365))
    for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])):
        born = head_born + timedelta(days=rng.randint(19 * 365, max(19 * 365, (youngest - head_born).days)))
        members.append((people.person(village=village, sex=rng.choice("LP"), born=born, family=family), "anak"))
    if rng.random() < 0.12 and (today - head_born).days < 55 * 365:
        born = head_born - timedelta(days=rng.randint(20 * 365, 30 * 365))
        members.append((people.person(village=village, sex="P", born=born, family=family), Relationship.PARENT))
    return members


def _age(person: Person, today: date) -> int:
    if person.birth_date is None:  # every demo person is born on a known day
        raise ValueError(f"demo person {person.name} has no birth date")
    return (today - person.birth_date).days // 365


def _subject(category: Category, members: list[Person], today: date, rng: random.Random) -> Person | None:
    """A member who fits the category (children for child categories, 60+ for the elderly...)."""
    n = category.number
    fits = {
        1: lambda p: _age(p, today) < 5,
        8: lambda p: _age(p, today) >= 60,
        23: lambda p: p.sex == "P" and 18 <= _age(p, today) <= 59,
    }.get(n, (lambda p: 5 <= _age(p, today) < 18) if n <= 7 else (lambda p: _age(p, today) >= 18))
    candidates = [p for p in members if fits(p)]
    return rng.choice(candidates) if candidates else None


def registry_totals() -> dict[str, int]:
    """What the demo registry holds now, for the command's summary."""
    return {
        "Orang dalam registri": Person.objects.filter(worker__isnull=True).count(),
        "Keluarga (KK)": Household.objects.count(),
        "Data PPKS": PpksRecord.objects.filter(category__kind=Category.Kind.PPKS).count(),
        "Kategori PPKS terisi": PpksRecord.objects.filter(category__kind=Category.Kind.PPKS)
        .values("category")
        .distinct()
        .count(),
        "Rumah tidak layak huni (RTLH)": PpksRecord.objects.filter(category__kind=Category.Kind.RTLH).count(),
    }


def seed_registry(
    *, operator: User, tksk_by_kecamatan: dict[int, User], psm_by_village: dict[int, User], today: date
) -> Counter:
    """Write the demo registry; returns what was created (nothing when it already exists)."""
    villages = list(Region.objects.within("36.71").villages().select_related("parent").order_by("code"))
    # The first household's KK tells whether the demo registry is already there.
    marker = villages[0].parent.code.replace(".", "") + "0000" + MARKER_KK_SUFFIX.rjust(6, "0")
    if Household.objects.filter(kk_number=marker).exists():
        return Counter()
    rng = random.Random(SEED)
    people = _People(rng)
    categories = {c.number: c for c in Category.objects.filter(kind="ppks")}
    rtlh = Category.objects.get(code="RTLH")
    families, used = [], {marker}
    for i in range(HOUSEHOLDS):
        village = villages[i % len(villages)]
        kk = marker
        while i and kk in used:
            kk = f"{village.parent.code.replace('.', '')}{rng.randint(10**9, 10**10 - 1)}"
        used.add(kk)
        families.append((village, kk, _family(people, village, today)))
    Person.objects.bulk_create([p for _v, _kk, members in families for p, _rel in members], batch_size=1000)
    households = Household.objects.bulk_create(
        [
            Household(
                kk_number=kk,
                head=members[0][0],
                kelurahan=v,
                kecamatan=v.parent,
                rt=f"{rng.randint(1, 12):03d}",
                rw=f"{rng.randint(1, 9):03d}",
                address=f"{rng.choice(people.streets)} No. {rng.randint(1, 120)}",
            )
            for v, kk, members in families
        ],
        batch_size=1000,
    )
    HouseholdKk.objects.bulk_create(
        [
            HouseholdKk(household=h, kk_number=kk, valid_from=date(2016, 1, 1))
            for h, (_v, kk, _members) in zip(households, families, strict=True)
        ],
        batch_size=1000,
    )
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(household=h, person=p, relationship=rel)
            for h, (_v, _kk, members) in zip(households, families, strict=True)
            for p, rel in members
        ],
        batch_size=1000,
    )
    records, events = _records(
        households, families, categories, rng, operator, tksk_by_kecamatan, psm_by_village, today, rtlh
    )
    PpksRecord.objects.bulk_create(records, batch_size=1000)
    for event in events:
        event.record_id = event.record.pk
    PpksEvent.objects.bulk_create(events, batch_size=1000)
    people_count = sum(len(m) for _v, _k, m in families)
    made = Counter({"orang": people_count, "KK": len(households), "data PPKS": len(records)})
    # One entry for the run, as for the workforce demo; each record's steps are in its verval timeline.
    audit.record(None, "registry.demo.seeded", villages[0].parent.parent, data=dict(made))
    return made


def _records(households, families, categories, rng, operator, tksk_by_kecamatan, psm_by_village, today, rtlh):
    """PPKS records with a timeline that matches their final status; one household in six lives in an RTLH."""
    numbers = list(CATEGORY_WEIGHT)
    weights = [CATEGORY_WEIGHT[n] for n in numbers]
    statuses = [s for s, _w in STATUS_MIX]
    status_weights = [w for _s, w in STATUS_MIX]
    rtlh_rng = random.Random(SEED + 1)  # its own generator: the PPKS records stay what they were without RTLH
    records, events = [], []

    def add(household, village, category, person, status, draw) -> None:
        reporter = psm_by_village.get(village.pk, operator)
        proposed = today - timedelta(days=draw.randint(40, 1300))
        record = PpksRecord(
            person=person,
            household=None if person else household,
            category=category,
            kelurahan=village,
            kecamatan=village.parent,
            rt=household.rt,
            rw=household.rw,
            address=household.address,
            source=Source.PSM if reporter != operator else Source.OPERATOR,
            status=status,
            reported_by=reporter,
            proposed_at=_when(proposed, draw),
        )
        _timeline(record, events, draw, operator, tksk_by_kecamatan.get(village.parent_id, operator), today)
        records.append(record)

    for i, (household, (village, _kk, members)) in enumerate(zip(households, families, strict=True)):
        for _ in range(1 + (rng.random() < 0.25)):
            # Every category appears: the first 26 households take one each, the rest follow the weights.
            number = numbers[i] if i < len(numbers) else rng.choices(numbers, weights)[0]
            category = categories[number]
            person = None
            if category.subject == Category.Subject.PERSON:
                person = _subject(category, [p for p, _rel in members], today, rng)
                if person is None:
                    continue
            status = statuses[i % len(statuses)] if i < 60 else rng.choices(statuses, status_weights)[0]
            add(household, village, category, person, status, rng)
        if i % 6 == 5:
            add(household, village, rtlh, None, rtlh_rng.choices(statuses, status_weights)[0], rtlh_rng)
    return records, events


def _timeline(
    record: PpksRecord, events: list[PpksEvent], rng: random.Random, operator: User, tksk: User, today: date
) -> None:
    status, at = record.status, record.proposed_at

    def step(action: str, old: str, new: str, actor: User, days: int, **kw) -> datetime:
        nonlocal at
        at = at + timedelta(days=days, hours=rng.randint(0, 6))
        events.append(PpksEvent(record=record, action=action, from_status=old, to_status=new, actor=actor, at=at, **kw))
        return at

    events.append(
        PpksEvent(
            record=record, action="proposed", from_status="", to_status="diusulkan", actor=record.reported_by, at=at
        )
    )
    if status == PpksStatus.NEEDS_FIX:
        step("returned", "diusulkan", "perlu_perbaikan", tksk, rng.randint(2, 14), reason="Foto rumah belum ada.")
        return
    if status == PpksStatus.PROPOSED:
        return
    found = status != PpksStatus.REJECTED or rng.random() < 0.3
    result = FieldResult.FOUND if found else rng.choice([FieldResult.NOT_FOUND, FieldResult.MOVED])
    verified_status = "diverifikasi" if found else "ditolak"
    record.verified_by, record.field_result = tksk, result
    record.verified_at = step("verified", "diusulkan", verified_status, tksk, rng.randint(3, 30), field_result=result)
    if status == PpksStatus.REJECTED and found:
        step("rejected", "diverifikasi", "ditolak", operator, rng.randint(2, 20), reason="Tidak memenuhi kriteria.")
    if status in (PpksStatus.VALIDATED, PpksStatus.EXITED):
        record.validated_by = operator
        validated = step("validated", "diverifikasi", "ditetapkan", operator, rng.randint(5, 40))
        record.validated_at = validated
        if status == PpksStatus.EXITED:
            reason = rng.choice(ExitReason.values)
            record.exit_reason = reason
            record.exit_date = min(today, (validated + timedelta(days=rng.randint(60, 400))).date())
            step("exited", "ditetapkan", "keluar", operator, 0, reason=ExitReason(reason).label)
