"""Demo data for Kota Tangerang: the workforce the press articles describe, the same on every run.

Pure planning only (no database writes): :func:`plan` turns the city's regions into the people to
create; ``pilar.workers.demo_seed`` writes them. Faker and ``random`` are seeded with a constant and
Faker is pinned in ``constraints.txt``, so names, NIKs and numbers are identical run after run.

Arithmetic of the join dates (the articles: 823 PSM at the capacity building of 27 March 2018,
987 PSM when the IPSM board was inaugurated on 16 March 2023):
- 987 PSM are active today; all of them joined by 2023-03-01, so all 987 were active on 2023-03-16;
- 25 more PSM joined in 2017 and stopped between 2019 and 2022 (a realistic history): they were
  active on 2018-03-27 but are not among today's 987;
- 798 of the 987 joined on or before 2018-03-27, so 798 + 25 = 823 PSM were active on that day;
- the other 987 - 798 = 189 joined between April 2018 and early March 2023.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from faker import Faker

from pilar.identity.nik import make_nik
from pilar.regions.models import Region
from pilar.workers.models import BoardPosition, WorkerRole

DEMO_CITY = "36.71"
SEED = 20230316
ACTIVE_PSM = 987
STOPPED_PSM = 25
ACTIVE_ON_CAPACITY_BUILDING = 823
CAPACITY_BUILDING_DAY = date(2018, 3, 27)
BOARD_INAUGURATION_DAY = date(2023, 3, 16)
EARLY_ACTIVE = ACTIVE_ON_CAPACITY_BUILDING - STOPPED_PSM  # 798 of today's PSM joined by 2018-03-27
ISSUER = "Kepala Dinas Sosial Kota Tangerang"
# 460 is the "Sosial" heading of the government filing code that prefixes local decree numbers.
DECREE_CLASS = "460"
BOARD_DECREE = "460/Kep.112-Dinsos/2023"
BOARD_POSITIONS = [
    BoardPosition.CHAIR,
    BoardPosition.VICE_CHAIR,
    BoardPosition.SECRETARY,
    BoardPosition.TREASURER,
    *[BoardPosition.MEMBER] * 9,
]
STOP_REASONS = [
    "Mengundurkan diri",
    "Pindah domisili ke luar kota",
    "Meninggal dunia",
    "Terpilih menjadi ketua RT",
    "Bekerja penuh waktu di luar kota",
]
EDUCATION = ["sma"] * 9 + ["smp"] * 3 + ["diploma"] * 2 + ["s1"] * 5 + ["s2"]
BIRTH_PLACES = ["Tangerang"] * 6 + ["Jakarta", "Serang", "Bogor", "Lebak", "Pandeglang", "Brebes", "Cirebon"]
# Mobile prefixes of Telkomsel, Indosat, XL, Tri and Smartfren (after the leading 0).
MOBILE_PREFIXES = [
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "855",
    "856",
    "857",
    "858",
    "817",
    "818",
    "819",
    "859",
    "877",
    "878",
    "895",
    "896",
    "897",
    "898",
    "899",
    "881",
    "882",
]
# The city pays incentives through Bank BJB, so most accounts are there; lengths as each bank issues them.
BANKS = [("Bank BJB", 13)] * 8 + [("Bank Mandiri", 13), ("Bank BNI", 10), ("Bank BSI", 10)]


@dataclass
class DemoWorker:
    role: str
    kecamatan: Region
    kelurahan: Region | None  # the kelurahan served (PSM); None for a TKSK
    home: Region  # kelurahan of the KTP address
    joined_on: date
    name: str
    sex: str
    birth_date: date
    birth_place: str
    nik: str
    address: str
    rt: str
    rw: str
    phone: str
    education: str
    bank_name: str
    account_number: str
    decree_number: str = ""
    stopped_on: date | None = None
    stop_reason: str = ""
    dismissal_number: str = ""
    username: str = ""

    @property
    def area(self) -> Region:
        return self.kelurahan or self.kecamatan

    @property
    def is_active(self) -> bool:
        return self.stopped_on is None


def _workday(day: date) -> date:
    """Decrees are signed on weekdays: a Saturday or Sunday moves to the next Monday."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


@cache
def _workdays(start: date, end: date) -> list[date]:
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]


def _day_between(rng: random.Random, start: date, end: date) -> date:
    """A weekday in [start, end], every weekday equally likely."""
    return rng.choice(_workdays(start, end))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, joined_on: date) -> date:
    """Age 20–65 on joining in calendar years (most PSM are in their thirties to fifties)."""
    age = min(65, int(rng.triangular(20, 66, 40)))
    latest = _years_before(joined_on, age)
    earliest = _years_before(joined_on, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _psm_join_dates(rng: random.Random) -> list[date]:
    """Join dates of today's 987 PSM, in the proportions of the module docstring."""
    early = [_day_between(rng, date(2017, 1, 2), CAPACITY_BUILDING_DAY) for _ in range(EARLY_ACTIVE)]
    late = [_day_between(rng, date(2018, 4, 2), date(2023, 3, 1)) for _ in range(ACTIVE_PSM - EARLY_ACTIVE)]
    dates = early + late
    rng.shuffle(dates)
    return dates


def _psm_slots(villages: list[Region], rng: random.Random) -> list[Region]:
    """987 over 104 kelurahan: 9 or 10 each, so none is left without a PSM."""
    base, extra = divmod(ACTIVE_PSM, len(villages))
    lucky = set(rng.sample(range(len(villages)), extra))
    return [v for i, v in enumerate(villages) for _ in range(base + (i in lucky))]


class DemoPeople:
    """Deterministic Indonesian persons; the serial makes every NIK unique."""

    def __init__(self) -> None:
        self.fake = Faker("id_ID")
        self.fake.seed_instance(SEED)
        self.rng = random.Random(SEED)
        self.serial = 0

    def _name(self, sex: str) -> str:
        if sex == "P":
            return f"{self.fake.first_name_female()} {self.fake.last_name_female()}"
        return f"{self.fake.first_name_male()} {self.fake.last_name_male()}"

    def make(
        self, *, role: str, kecamatan: Region, kelurahan: Region | None, home: Region, joined_on: date
    ) -> DemoWorker:
        rng = self.rng
        sex = rng.choice(["P", "P", "L"])  # most PSM are women
        birth = _birth_date(rng, joined_on)
        bank, digits = rng.choice(BANKS)
        self.serial += 1
        return DemoWorker(
            role=role,
            kecamatan=kecamatan,
            kelurahan=kelurahan,
            home=home,
            joined_on=joined_on,
            name=self._name(sex),
            sex=sex,
            birth_date=birth,
            birth_place=rng.choice(BIRTH_PLACES),
            nik=make_nik(kecamatan_code=kecamatan.code, birth_date=birth, sex=sex, serial=self.serial),
            address=self.fake.street_address(),
            rt=f"{rng.randint(1, 15):03d}",
            rw=f"{rng.randint(1, 12):03d}",
            phone=f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}",
            education=rng.choice(EDUCATION),
            bank_name=bank,
            account_number=str(rng.randint(10 ** (digits - 1), 10**digits - 1)),
        )


def plan(kecamatan: list[Region], villages: list[Region]) -> list[DemoWorker]:
    """The whole demo workforce: 13 TKSK, 987 active PSM and 25 who stopped; regions ordered by code."""
    people, rng = DemoPeople(), random.Random(SEED + 1)
    # Both by kecamatan id, as a kelurahan's parent_id reads it.
    by_pk: dict[int | None, Region] = {k.pk: k for k in kecamatan}
    villages_of: dict[int | None, list[Region]] = defaultdict(list)
    for village in villages:
        villages_of[village.parent_id].append(village)
    workers = [
        people.make(
            role=WorkerRole.TKSK,
            kecamatan=kec,
            kelurahan=None,
            home=rng.choice(villages_of[kec.pk]),
            joined_on=_workday(date(2017, 1, 2) + timedelta(days=i)),
        )
        for i, kec in enumerate(kecamatan)
    ]
    for village, joined in zip(_psm_slots(villages, rng), _psm_join_dates(rng), strict=True):
        kec = by_pk[village.parent_id]
        workers.append(
            people.make(role=WorkerRole.PSM, kecamatan=kec, kelurahan=village, home=village, joined_on=joined)
        )
    for _ in range(STOPPED_PSM):
        village = rng.choice(villages)
        joined = _day_between(rng, date(2017, 1, 2), date(2017, 12, 29))
        worker = people.make(
            role=WorkerRole.PSM, kecamatan=by_pk[village.parent_id], kelurahan=village, home=village, joined_on=joined
        )
        worker.stopped_on = _day_between(rng, date(2019, 1, 7), date(2022, 12, 23))
        worker.stop_reason = rng.choice(STOP_REASONS)
        workers.append(worker)
    _number_decrees(workers)
    _name_users(workers)
    return workers


def _number_decrees(workers: list[DemoWorker]) -> None:
    """One decree per signing day and kind, numbered through the year: ``460/Kep.7-Dinsos/2017``.

    Everyone appointed on the same day shares that day's decree, as a real batch appointment does.
    """
    signed = {(w.joined_on, "appointment") for w in workers}
    signed |= {(w.stopped_on, "dismissal") for w in workers if w.stopped_on}
    numbers: dict[tuple[date, str], str] = {}
    per_year: dict[int, int] = defaultdict(int)
    for day, kind in sorted(signed):
        per_year[day.year] += 1
        numbers[day, kind] = f"{DECREE_CLASS}/Kep.{per_year[day.year]}-Dinsos/{day.year}"
    for w in workers:
        w.decree_number = numbers[w.joined_on, "appointment"]
        if w.stopped_on:
            w.dismissal_number = numbers[w.stopped_on, "dismissal"]


def _name_users(workers: list[DemoWorker]) -> None:
    """``tksk.<kecamatan digits>`` and ``psm.<kelurahan digits>.<n>``, n by seniority within the kelurahan.

    Only active workers get an account: the 25 who stopped left before Pilar existed.
    """
    counters: dict[str, int] = defaultdict(int)
    for w in sorted(workers, key=lambda w: (w.joined_on, w.nik)):
        if not w.is_active:
            continue
        if w.kelurahan is None:
            w.username = f"tksk.{w.kecamatan.digits}"
        else:
            counters[w.kelurahan.code] += 1
            w.username = f"psm.{w.kelurahan.digits}.{counters[w.kelurahan.code]}"


def board_seats(workers: list[DemoWorker]) -> list[tuple[str, DemoWorker]]:
    """The IPSM board 2021–2026: the most senior active PSM of each kecamatan, kecamatan by code.

    Kota Tangerang has 13 kecamatan and the board 13 seats, so every kecamatan has one seat.
    """
    senior: dict[str, DemoWorker] = {}
    for w in sorted(workers, key=lambda w: (w.joined_on, w.nik)):
        if w.role == WorkerRole.PSM and w.is_active:
            senior.setdefault(w.kecamatan.code, w)
    holders = [senior[code] for code in sorted(senior)]
    return list(zip(BOARD_POSITIONS, holders, strict=False))
