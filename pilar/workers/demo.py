"""Demo data for Kota Tangerang: the workforce the press articles describe, reproducible run after run.

Arithmetic of the join dates (the seeds: 823 PSM in March 2018, 987 in March 2023):
- 987 PSM are active today and were all active on 2023-03-16;
- 25 more PSM joined in 2017 and stopped between 2019 and 2022 (a realistic history);
- 798 of the 987 joined before 2018-03-27, so 798 + 25 = 823 were active on that day;
- the other 189 joined between April 2018 and early March 2023.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from pilar.identity.nik import make_nik
from pilar.regions.models import Region

SEED = 20230316
ACTIVE_PSM = 987
STOPPED_PSM = 25
ACTIVE_ON_2018_03_27 = 823
EARLY_ACTIVE = ACTIVE_ON_2018_03_27 - STOPPED_PSM  # 798
CAPACITY_BUILDING_DAY = date(2018, 3, 27)
ISSUER = "Kepala Dinas Sosial Kota Tangerang"
STOP_REASONS = ["Mengundurkan diri", "Pindah domisili ke luar kota", "Meninggal dunia", "Terpilih menjadi ketua RT"]
EDUCATION = ["sma"] * 9 + ["smp"] * 3 + ["diploma"] * 2 + ["s1"] * 5 + ["s2"]
# Prefixes of Indonesia's mobile operators (Telkomsel, Indosat, XL, Tri, Smartfren).
MOBILE_PREFIXES = ["811", "812", "813", "821", "822", "852", "853", "855", "856", "857", "858", "817", "818",
                   "819", "859", "877", "878", "895", "896", "897", "898", "899", "881", "882"]  # fmt: skip
BANKS = ["Bank BJB"] * 8 + ["Bank BRI", "Bank Mandiri"]


@dataclass
class DemoWorker:
    role: str
    kecamatan: Region
    kelurahan: Region | None
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
    decree_number: str
    stopped_on: date | None = None
    stop_reason: str = ""
    username: str = ""


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _join_dates(rng: random.Random) -> list[date]:
    """Join dates of the 987 active PSM, in the proportions the articles give."""
    early = [_day_between(rng, date(2017, 1, 2), date(2018, 3, 27)) for _ in range(EARLY_ACTIVE)]
    late = [_day_between(rng, date(2018, 4, 2), date(2023, 3, 1)) for _ in range(ACTIVE_PSM - EARLY_ACTIVE)]
    dates = early + late
    rng.shuffle(dates)
    return dates


def _slots(villages: list[Region], rng: random.Random) -> list[Region]:
    """Every kelurahan gets its share (9 or 10 here), so none is left without a PSM."""
    base, extra = divmod(ACTIVE_PSM, len(villages))
    lucky = set(rng.sample(range(len(villages)), extra))
    return [v for i, v in enumerate(villages) for _ in range(base + (i in lucky))]


class DemoPeople:
    """Deterministic Indonesian persons: the same names, NIKs and numbers on every run."""

    def __init__(self) -> None:
        self.fake = Faker("id_ID")
        self.fake.seed_instance(SEED)
        self.rng = random.Random(SEED)
        self.serial = 0

    def make(self, *, role: str, kecamatan: Region, kelurahan: Region | None, joined_on: date) -> DemoWorker:
        rng, fake = self.rng, self.fake
        sex = rng.choice(["P", "P", "L"])  # most PSM in Kota Tangerang are women
        first = fake.first_name_female() if sex == "P" else fake.first_name_male()
        name = f"{first} {fake.last_name()}"
        age = rng.randint(20, 62)
        birth = joined_on - timedelta(days=age * 365 + rng.randrange(365))
        self.serial += 1
        return DemoWorker(
            role=role,
            kecamatan=kecamatan,
            kelurahan=kelurahan,
            joined_on=joined_on,
            name=name,
            sex=sex,
            birth_date=birth,
            birth_place=rng.choice(["Tangerang", "Tangerang", "Jakarta", "Serang", "Bogor", "Lebak", "Brebes"]),
            nik=make_nik(kecamatan_code=kecamatan.code, birth_date=birth, sex=sex, serial=self.serial),
            address=fake.street_address(),
            rt=f"{rng.randint(1, 15):03d}",
            rw=f"{rng.randint(1, 10):03d}",
            phone=f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}",
            education=rng.choice(EDUCATION),
            bank_name=rng.choice(BANKS),
            account_number=str(rng.randint(10**9, 10**13 - 1)),
            decree_number=f"460/{self.serial:04d}-Dinsos/{joined_on.year}",
        )


def plan(kecamatan: list[Region], villages: list[Region]) -> list[DemoWorker]:
    """The whole demo workforce: 13 TKSK, 987 active PSM and 25 who stopped."""
    people = DemoPeople()
    rng = people.rng
    workers = [
        people.make(role="tksk", kecamatan=kec, kelurahan=None, joined_on=date(2017, 1, 2) + timedelta(days=i))
        for i, kec in enumerate(kecamatan)
    ]
    by_code = {k.pk: k for k in kecamatan}
    for village, joined in zip(_slots(villages, rng), _join_dates(rng), strict=True):
        workers.append(
            people.make(role="psm", kecamatan=by_code[village.parent_id], kelurahan=village, joined_on=joined)
        )
    for _ in range(STOPPED_PSM):
        village = rng.choice(villages)
        joined = _day_between(rng, date(2017, 1, 2), date(2017, 12, 29))
        worker = people.make(role="psm", kecamatan=by_code[village.parent_id], kelurahan=village, joined_on=joined)
        worker.stopped_on = _day_between(rng, date(2019, 1, 7), date(2022, 12, 23))
        worker.stop_reason = rng.choice(STOP_REASONS)
        workers.append(worker)
    _name_users(workers)
    return workers


def _name_users(workers: list[DemoWorker]) -> None:
    """``tksk.<kecamatan digits>`` and ``psm.<kelurahan digits>.<n>``, n by seniority within the kelurahan."""
    counters: dict[str, int] = {}
    for w in sorted(workers, key=lambda w: (w.joined_on, w.nik)):
        if w.stopped_on:
            continue
        if w.role == "tksk":
            w.username = f"tksk.{w.kecamatan.digits}"
        else:
            n = counters[w.kelurahan.code] = counters.get(w.kelurahan.code, 0) + 1
            w.username = f"psm.{w.kelurahan.digits}.{n}"
