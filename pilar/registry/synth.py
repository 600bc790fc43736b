"""Synthetic registry rows for benchmarks and tests: households of realistic Indonesian persons.

Every row is one person with one PPKS category, written with the importer's Indonesian headers.
A share of rows (``dup_rate``) are second entries of an earlier person, corrupted the way real
registers are (name spelling, titles, spacing, typos, day/month swap, missing NIK), and labelled
with the same ``cluster_id`` so that duplicate detection can be scored against them.

Speed matters (a million rows in seconds): Faker only fills small name pools once; the rows are
drawn from those pools with one seeded ``random.Random``.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random

from faker import Faker

from pilar.identity.names import normalize_name
from pilar.identity.nik import make_nik

HEADERS = [
    "NIK", "No KK", "Nama Lengkap", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Kode Kelurahan",
    "RT", "RW", "Alamat", "Hubungan Keluarga", "Kode PPKS", "cluster_id",
]  # fmt: skip

# Rough shares in a city's PPKS data: poverty, old age and disability dominate (DTKS/SIKS-NG reports).
WEIGHTS = {
    "PPKS-24": 40, "PPKS-08": 14, "PPKS-09": 11, "PPKS-23": 6, "PPKS-02": 4, "PPKS-01": 2, "PPKS-05": 3,
    "PPKS-25": 3, "PPKS-19": 2, "PPKS-21": 2, "PPKS-22": 1, "PPKS-13": 2, "PPKS-11": 1, "PPKS-12": 1,
    "PPKS-04": 1, "PPKS-06": 1, "PPKS-07": 1, "PPKS-03": 0.5, "PPKS-17": 0.5, "PPKS-16": 0.5,
    "PPKS-15": 0.5, "PPKS-20": 0.5, "PPKS-18": 0.3, "PPKS-10": 0.3, "PPKS-14": 0.2, "PPKS-26": 0.1,
}  # fmt: skip
CHILD_ONLY = {"PPKS-01", "PPKS-02", "PPKS-03", "PPKS-04", "PPKS-05", "PPKS-06", "PPKS-07"}
ELDER_ONLY = {"PPKS-08"}
FIRST_YEAR, LAST_YEAR = 1935, 2024


@dataclass(frozen=True)
class Village:
    code: str  # "36.71.01.1001"
    kecamatan_digits: str  # "367101"


@dataclass
class Pools:
    male: list[str]
    female: list[str]
    family: list[str]
    places: list[str]
    streets: list[str]


def make_pools(seed: int, size: int = 600) -> Pools:
    fake = Faker("id_ID")
    fake.seed_instance(seed)

    def pool(make, n: int = size) -> list[str]:
        return sorted({make() for _ in range(n * 2)})[:n]

    return Pools(
        male=pool(fake.first_name_male),
        female=pool(fake.first_name_female),
        family=pool(fake.last_name),
        places=pool(fake.city_name, 120),
        streets=pool(fake.street_name, 400),
    )


def city_villages(region_code: str | None = None) -> list[Village]:
    """The configured city's kelurahan, loading the regions first if the database has none."""
    from django.conf import settings

    from pilar.regions.loader import load_region, normalize_code
    from pilar.regions.models import Region

    code = normalize_code(region_code or settings.PILAR_REGION)
    if not Region.objects.filter(code=code).exists():
        load_region(code)
    codes = Region.objects.within(code).villages().order_by("code").values_list("code", flat=True)
    return [Village(c, c.rsplit(".", 1)[0].replace(".", "")) for c in codes]


class Generator:
    def __init__(self, villages: list[Village], *, seed: int, dup_rate: float, today: date | None = None):
        if not villages:
            raise ValueError("no kelurahan to put persons in")
        self.rng, self.villages, self.dup_rate = Random(seed), villages, dup_rate
        self.pools = make_pools(seed)
        self.today = today or date(2026, 1, 1)  # fixed, so that a seed gives the same file every year
        self.serials: dict[str, int] = {}
        self.kk_serials: dict[str, int] = {}
        self.codes = list(WEIGHTS)
        self.weights = list(WEIGHTS.values())
        self.base = date(FIRST_YEAR, 1, 1).toordinal()
        self.span = date(LAST_YEAR, 12, 31).toordinal() - self.base
        self.cluster = 0
        self.anonymous: set[tuple[str, ...]] = set()

    def _nik(self, kec: str, born: date, sex: str) -> str:
        prefix = make_nik(kecamatan_code=kec, birth_date=born, sex=sex, serial=1)[:12]
        serial = self.serials.get(prefix, 0) + 1
        self.serials[prefix] = serial
        return prefix + f"{serial:04d}"

    def _kk(self, kec: str) -> str:
        issued = date.fromordinal(self.base + self.rng.randrange(self.span))
        prefix = f"{kec}{issued:%d%m%y}"
        serial = self.kk_serials.get(prefix, 0) + 1
        self.kk_serials[prefix] = serial
        return prefix + f"{serial:04d}"

    def _born(self, low_age: int, high_age: int) -> date:
        days = self.rng.randint(low_age * 365 + 1, high_age * 365 + 300)
        return self.today - timedelta(days=days)

    def _category(self, age: int) -> str:
        if age >= 60 and self.rng.random() < 0.5:
            return "PPKS-08"  # most elderly persons in PPKS data are there as lansia telantar
        while True:
            code = self.rng.choices(self.codes, self.weights)[0]
            if code in CHILD_ONLY and age > 17 or code in ELDER_ONLY and age < 60:
                continue
            if age < 18 and code not in CHILD_ONLY and code not in {"PPKS-24", "PPKS-21", "PPKS-22", "PPKS-25"}:
                continue
            return code

    def _name(self, sex: str) -> str:
        r, p = self.rng, self.pools
        first = r.choice(p.male if sex == "L" else p.female)
        if sex == "L" and r.random() < 0.12:
            first = "Muhammad " + first
        parts = [first] if r.random() < 0.15 else [first, r.choice(p.family)]  # single names are common
        name = " ".join(parts)
        if r.random() < 0.04:
            name = ("H. " if sex == "L" else "Hj. ") + name
        return name

    def households(self) -> Iterator[list[list[str]]]:
        r, p = self.rng, self.pools
        while True:
            village = r.choice(self.villages)
            kec = village.kecamatan_digits
            kk = self._kk(kec)
            rt, rw = f"{r.randint(1, 15):03d}", f"{r.randint(1, 12):03d}"
            address = f"{r.choice(p.streets)} No. {r.randint(1, 150)}"
            members = [("kepala", "L" if r.random() < 0.82 else "P", 25, 85)]
            if members[0][1] == "L" and r.random() < 0.8:
                members.append(("istri", "P", 22, 75))
            for _ in range(r.choice((0, 1, 1, 2, 2, 3, 4))):
                members.append(("anak", r.choice("LP"), 0, 24))
            if r.random() < 0.08:
                members.append(("orang_tua", r.choice("LP"), 60, 90))
            rows = []
            for shdk, sex, low, high in members:
                born = self._born(low, high)
                age = (self.today - born).days // 365
                self.cluster += 1
                rows.append([
                    self._nik(kec, born, sex), kk, self._name(sex), sex, r.choice(p.places), born.isoformat(),
                    village.code, rt, rw, address, shdk, self._category(age), str(self.cluster),
                ])  # fmt: skip
            yield rows

    def rows(self, count: int) -> Iterator[list[str]]:
        made = 0
        earlier: list[list[str]] = []  # a bounded sample of persons to duplicate
        for household in self.households():
            for row in household:
                if made >= count:
                    return
                if earlier and self.rng.random() < self.dup_rate:
                    yield self.corrupt(self.rng.choice(earlier))
                    made += 1
                    if made >= count:
                        return
                yield row
                made += 1
                if len(earlier) < 5000:
                    earlier.append(row)
                else:
                    earlier[self.rng.randrange(5000)] = row

    def corrupt(self, row: list[str]) -> list[str]:
        """A second entry of the same person, as another officer would type it."""
        r = self.rng
        dup = list(row)
        dup[2] = corrupt_name(r, dup[2])
        dup[10] = "lainnya" if dup[10] == "kepala" else dup[10]  # one head per KK
        born = date.fromisoformat(dup[5])
        if r.random() < 0.15 and born.day <= 12 and born.day != born.month:
            born = born.replace(day=born.month, month=born.day)
            dup[5] = born.isoformat()
        # Never the original NIK (it would be the same person record, not a duplicate to find):
        # either left out or re-issued with another serial, consistent with the typed birth date.
        dup[0] = "" if r.random() < 0.5 else self._nik(dup[0][:6], born, dup[3])
        if not dup[0]:
            # Two NIK-less entries alike in name, birth date, kelurahan and category are one row typed
            # twice, which the importer refuses; keep the file importable by giving this one a NIK.
            key = (normalize_name(dup[2]), dup[5], dup[6], dup[11])
            if key in self.anonymous:
                dup[0] = self._nik(row[0][:6], born, dup[3])
            self.anonymous.add(key)
        return dup


def corrupt_name(r: Random, name: str) -> str:
    words = name.split()
    choice = r.random()
    if words[0] in ("Muhammad", "H.") or choice < 0.2:
        variants = {"Muhammad": ("Muhamad", "Moh.", "M.", "Mohammad", "Muh."), "H.": ("", "Haji")}
        if words[0] in variants:
            words[0] = r.choice(variants[words[0]])
            return " ".join(w for w in words if w)
    if choice < 0.35:
        return ("Hj. " if r.random() < 0.5 else "H. ") + name
    if choice < 0.5 and len(words) > 1:
        return "".join(words[:2]) + (" " + " ".join(words[2:]) if len(words) > 2 else "")
    if choice < 0.6:
        return name.upper()
    # A typo: a letter doubled, dropped or swapped with its neighbour.
    chars = list(name)
    i = r.randrange(1, max(2, len(chars) - 1))
    kind = r.randrange(3)
    if kind == 0:
        chars.insert(i, chars[i])
    elif kind == 1 and len(chars) > 4:
        del chars[i]
    elif i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def write_csv(path: str | Path, *, persons: int, dup_rate: float, seed: int, villages: list[Village]) -> int:
    generator = Generator(villages, seed=seed, dup_rate=dup_rate)
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for row in generator.rows(persons):
            writer.writerow(row)
            count += 1
    return count
