"""Synthetic registry rows for benchmarks and tests: households of realistic Indonesian persons.

Every row is one person with one PPKS category, written with the importer's Indonesian headers.
A share of rows (``dup_rate``) are second entries of an earlier person, corrupted the way real
registers are (``synth_corrupt``: names, birth dates, NIKs), labelled with the same ``cluster_id``
and with their corruption kinds in ``dup_kinds``, so that duplicate detection can be scored against
them, per kind. Twins (one KK, one birth date, alike names) are the hard negatives.

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
from pilar.registry import synth_corrupt as corrupt

HEADERS = [
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Jenis Kelamin",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Kode Kelurahan",
    "RT",
    "RW",
    "Alamat",
    "Hubungan Keluarga",
    "Kode PPKS",
    "cluster_id",
    "dup_kinds",
]

# Rough shares in a city's PPKS data: poverty, old age and disability dominate (DTKS/SIKS-NG reports).
WEIGHTS = {
    "PPKS-24": 40,
    "PPKS-08": 14,
    "PPKS-09": 11,
    "PPKS-23": 6,
    "PPKS-02": 4,
    "PPKS-01": 2,
    "PPKS-05": 3,
    "PPKS-25": 3,
    "PPKS-19": 2,
    "PPKS-21": 2,
    "PPKS-22": 1,
    "PPKS-13": 2,
    "PPKS-11": 1,
    "PPKS-12": 1,
    "PPKS-04": 1,
    "PPKS-06": 1,
    "PPKS-07": 1,
    "PPKS-03": 0.5,
    "PPKS-17": 0.5,
    "PPKS-16": 0.5,
    "PPKS-15": 0.5,
    "PPKS-20": 0.5,
    "PPKS-18": 0.3,
    "PPKS-10": 0.3,
    "PPKS-14": 0.2,
    "PPKS-26": 0.1,
}
CHILD_ONLY = {"PPKS-01", "PPKS-02", "PPKS-03", "PPKS-04", "PPKS-05", "PPKS-06", "PPKS-07"}
ELDER_ONLY = {"PPKS-08"}
FIRST_YEAR, LAST_YEAR = 1935, 2024
# Compound first names, written joined on one KTP and split on another: Faker's pools have almost none.
JOINED_FEMALE = (
    "Nurhayati",
    "Nuraini",
    "Nurlela",
    "Nurjanah",
    "Sitiaminah",
    "Sriwahyuni",
    "Sriwulandari",
    "Dwiyanti",
    "Dewisartika",
    "Trisnawati",
    "Ekawati",
    "Rahmawati",
    "Nurhasanah",
    "Sulastri",
)
JOINED_MALE = (
    "Abdulrahman",
    "Abdulrohim",
    "Ahmadfauzi",
    "Nurhidayat",
    "Agussalim",
    "Triyanto",
    "Ekaputra",
    "Dwisaputra",
    "Abdulaziz",
    "Nurkholis",
)


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
        male=pool(fake.first_name_male) + list(JOINED_MALE),
        female=pool(fake.first_name_female) + list(JOINED_FEMALE),
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

    def _reserve(self, nik: str) -> str:
        """A mistyped NIK if no person holds it, kept from being issued later; "" if it is someone's."""
        prefix, serial = nik[:12], int(nik[12:])
        if serial <= self.serials.get(prefix, 0):
            return ""
        self.serials[prefix] = serial
        return nik

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

    def _twin_name(self, sibling: str, sex: str) -> str:
        """A name for the twin of ``sibling``: the same initial and, mostly, the same second name."""
        words = sibling.split()
        pool = self.pools.male if sex == "L" else self.pools.female
        alike = [n for n in pool if n[0] == words[-1 if words[0] == "Muhammad" else 0][0] and n not in words]
        first = self.rng.choice(alike or pool)
        return " ".join([first, *words[1:]] if words[0] != "Muhammad" else [first, *words[2:]])

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
            rows: list[list[str]] = []
            for shdk, sex, low, high in members:
                twin = shdk == "anak" and rows and rows[-1][10] == "anak" and r.random() < 0.04
                # Twins: one birth date, one KK, often alike names ("Rina"/"Rini"): what duplicate detection
                # must not merge.
                born = date.fromisoformat(rows[-1][5]) if twin else self._born(low, high)
                age = (self.today - born).days // 365
                self.cluster += 1
                rows.append(
                    [
                        self._nik(kec, born, sex),
                        kk,
                        self._twin_name(rows[-1][2], sex) if twin else self._name(sex),
                        sex,
                        r.choice(p.places),
                        born.isoformat(),
                        village.code,
                        rt,
                        rw,
                        address,
                        shdk,
                        self._category(age),
                        str(self.cluster),
                        "",
                    ]
                )
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
        """A second entry of the same person, as another officer would type it, its kinds in the last column.

        Never the original NIK: the import would attach the row to the stored person (or hold it as a data
        conflict), so it could never become a duplicate to find.
        """
        r = self.rng
        dup = list(row)
        kinds = []
        if r.random() < 0.85:
            for _try in range(4):
                kind = corrupt.name_kind(r, dup[2])
                changed = corrupt.name(r, kind, dup[2], dup[3])
                if changed and changed != dup[2]:
                    dup[2] = changed
                    kinds.append(kind)
                    break
        dup[10] = "lainnya" if dup[10] == "kepala" else dup[10]  # one head per KK
        born = date.fromisoformat(row[5])
        date_kind = corrupt.choose(r, corrupt.DATE_KINDS)
        written = corrupt.birth(r, date_kind, born)
        if written is None:
            date_kind, written = "date_ok", (row[5], born)
        dup[5], typed = written
        if date_kind != "date_ok":
            kinds.append(date_kind)
        kinds.append(self._dup_nik(dup, row[0], typed, date_kind == "date_ok"))
        if not dup[0]:
            # Two NIK-less entries alike in name, birth date, kelurahan and category are one row typed
            # twice, which the importer refuses; keep the file importable by giving this one a NIK.
            key = (normalize_name(dup[2]), dup[5], dup[6], dup[11])
            if key in self.anonymous and typed is not None:
                dup[0] = self._nik(row[0][:6], typed, dup[3])
                kinds[-1] = "nik_other"
            self.anonymous.add(key)
        dup[13] = "+".join(kinds)
        return dup

    def _dup_nik(self, dup: list[str], nik: str, typed: date | None, date_kept: bool) -> str:
        """The copy's NIK, returning its kind; mistyped only where the birth date is the original's (a NIK
        that disagrees with the typed birth date is refused by the import, not stored as a duplicate)."""
        kind = corrupt.choose(self.rng, corrupt.NIK_KINDS)
        if kind in ("nik_typo", "nik_transposed") and not date_kept:
            kind = "nik_missing"
        if kind in ("nik_typo", "nik_transposed"):
            typo = corrupt.nik_typo(self.rng, nik) if kind == "nik_typo" else corrupt.nik_transposed(self.rng, nik)
            dup[0] = self._reserve(typo) if typo else ""
            kind = kind if dup[0] else "nik_missing"
        elif kind == "nik_other" and typed is not None:
            dup[0] = self._nik(nik[:6], typed, dup[3])
        else:
            dup[0], kind = "", "nik_missing"
        return kind


def stored_birth_date(raw: str) -> date | None:
    """A birth date as the sheet writes it, read as the registry stores it: an unknown day and month
    ("00-00-1970", "1970") as 1 January, like the "01-01-1970" offices type for it."""
    if not raw:
        return None
    if len(raw) == 4:
        return date(int(raw), 1, 1)
    if raw[2] == "-":
        day, month, year = (int(x) for x in raw.split("-"))
        return date(year, month or 1, day or 1)
    return date.fromisoformat(raw)


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
