"""Checking one row of an import file: every problem is reported, with the column and value, in Indonesian.

This runs a million times per big import, so the common path is plain dict lookups and string
slicing; the identity module's parsers are called only to word the message for a bad value.
"""

import re
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from pilar.identity.kk import KkError, validate_kk
from pilar.identity.names import normalize_name
from pilar.identity.nik import NikError, check_nik_consistency, clean_nik, parse_nik
from pilar.identity.regions_index import province_codes
from pilar.regions.loader import normalize_code
from pilar.regions.models import Region
from pilar.registry.importer.columns import COLUMNS
from pilar.registry.models import Category, Relationship

_NIK = re.compile(r"[0-9]{16}")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_RT = re.compile(r"[0-9]{1,3}")
SEXES = {"l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "pria": "L",
         "p": "P", "pr": "P", "perempuan": "P", "wanita": "P"}  # fmt: skip
# SHDK as Dukcapil prints it, by name and by its code (1 = kepala keluarga ... 11 = lainnya).
_SHDK_NAMES = ["kepala keluarga", "suami", "istri", "anak", "menantu", "cucu", "orang tua", "mertua",
               "famili lain", "pembantu", "lainnya"]  # fmt: skip
RELATIONSHIPS: dict[str, str] = {}
for _code, (_name, _value) in enumerate(zip(_SHDK_NAMES, Relationship.values, strict=True), start=1):
    RELATIONSHIPS.update({_name: _value, _value: _value, str(_code): _value, _value.replace("_", " "): _value})
RELATIONSHIPS.update({"kepala": "kepala", "kk": "kepala", "famili": "famili", "family": "famili"})


class Row(NamedTuple):
    number: int
    nik: str | None
    kk: str | None
    name: str
    name_normalized: str
    sex: str
    birth_place: str
    birth_date: date | None
    kelurahan_id: int
    kecamatan_id: int
    rt: str
    rw: str
    address: str
    relationship: str
    category_id: int
    for_family: bool
    notes: str


Problem = tuple[int, str, str, str]
ORDER = ("nik", "kk", "name", "sex", "birth_place", "birth_date", "kelurahan", "rt", "rw", "address", "relationship",
         "category", "notes")  # fmt: skip  # row number, column, value, message


def _col(key: str) -> str:
    return COLUMNS[key][0]


class RowValidator:
    def __init__(self, columns: dict[str, int], *, today: date | None = None):
        self.columns = columns
        # Every column read in one C call; a column the file lacks points at a padding "" cell.
        self.width = max(columns.values()) + 2
        missing = self.width - 1
        self.pick = itemgetter(*(columns.get(key, missing) for key in ORDER))
        self.names: dict[str, str] = {}
        self.today = today or date.today()
        self.dates: dict[str, date | None] = {}
        self.kks: dict[str, tuple[str | None, str]] = {}
        self.villages = _village_index()
        self.categories = _category_index()
        self.provinces = province_codes()

    def check(self, number: int, cells: list[str]) -> tuple[Row | None, list[Problem]]:
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        (nik_raw, kk_raw, raw_name, sex_raw, place, birth_raw, village_raw,
         rt_raw, rw_raw, address, shdk, cat_raw, notes) = self.pick(cells)  # fmt: skip
        problems: list[Problem] = []

        def fail(key: str, value: str, message: str) -> None:
            problems.append((number, _col(key), value, message))

        name = " ".join(raw_name.split())
        if not name:
            fail("name", "", _("Nama wajib diisi."))
        elif len(name) > 150:
            fail("name", name[:40], _("Nama terlalu panjang (maksimal 150 karakter)."))
        sex = SEXES.get(sex_raw.lower())
        if sex_raw and sex is None:
            fail("sex", sex_raw, _("Jenis kelamin harus L atau P."))
        birth = self._date(birth_raw, fail)
        nik = self._nik(nik_raw, birth, sex, fail)
        if nik and (birth is None or sex is None) and not problems:
            info = parse_nik(nik)  # already known valid: fill what the row left out
            birth, sex = birth or info.birth_date, sex or info.sex
        if sex is None and not sex_raw:
            fail("sex", "", _("Jenis kelamin wajib diisi (L atau P)."))
        village = self._village(village_raw, fail)
        category = self._category(cat_raw, fail)
        kk = self._kk(kk_raw, fail)
        relationship = self._relationship(shdk, kk, fail)
        if category and category[1] and not kk:
            fail("kk", "", _("Kategori ini untuk keluarga: No KK wajib diisi."))
        rt, rw = self._rt("rt", rt_raw, fail), self._rt("rw", rw_raw, fail)
        if problems:
            return None, problems
        return Row(number, nik, kk, name, self._normalized(name), sex, place[:80], birth,  # type: ignore[arg-type]
                   village[0], village[1], rt, rw, address[:250], relationship,  # type: ignore[index]
                   category[0], category[1], notes), problems  # type: ignore[index]  # fmt: skip

    def _normalized(self, name: str) -> str:
        # Names repeat a lot in a city (Siti Aminah, Muhammad Rizki): normalise each spelling once.
        found = self.names.get(name)
        if found is None:
            if len(self.names) > 300_000:
                self.names.clear()
            found = self.names[name] = normalize_name(name)
        return found

    def _date(self, raw: str, fail) -> date | None:
        if not raw:
            return None
        if raw in self.dates:
            parsed = self.dates[raw]
        else:
            parsed = self.dates[raw] = _parse_date(raw, self.today)
        if parsed is None:
            fail("birth_date", raw, _("Tanggal lahir tidak valid: gunakan TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT."))
        return parsed

    def _nik(self, raw: str, birth: date | None, sex: str | None, fail) -> str | None:
        if not raw:
            return None
        nik = raw if _NIK.fullmatch(raw) else clean_nik(raw)
        if birth is not None and sex is not None and self._fast_nik_ok(nik, birth, sex):
            return nik
        problems = check_nik_consistency(nik, birth_date=birth, sex=sex)
        for field, message in problems:
            fail({"nik": "nik", "birth_date": "birth_date", "sex": "sex"}[field], raw, message)
        return None if problems else nik

    def _fast_nik_ok(self, nik: str, birth: date, sex: str) -> bool:
        # The NIK's DDMMYY must be the row's birth date (day + 40 for women): then it is a real date.
        day = birth.day + 40 if sex == "P" else birth.day
        return (
            _NIK.fullmatch(nik) is not None
            and nik[6:12] == f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            and nik[:2] in self.provinces
            and nik[2:4] != "00"
            and nik[4:6] != "00"
            and nik[12:] != "0000"
        )

    def _village(self, raw: str, fail) -> tuple[int, int] | None:
        if not raw:
            fail("kelurahan", "", _("Kelurahan wajib diisi (kode Kemendagri, mis. 36.71.01.1001)."))
            return None
        found = self.villages.get(raw) or self.villages.get(raw.lower())
        if found is None:
            fail("kelurahan", raw, _("Kelurahan tidak dikenal atau di luar kota ini."))
        return found

    def _category(self, raw: str, fail) -> tuple[int, bool] | None:
        if not raw:
            fail("category", "", _("Kategori PPKS wajib diisi (mis. PPKS-24)."))
            return None
        found = self.categories.get(raw.lower())
        if found is None:
            fail("category", raw, _("Kategori PPKS tidak dikenal: gunakan kode PPKS-01 sampai PPKS-26."))
        return found

    def _kk(self, raw: str, fail) -> str | None:
        if not raw:
            return None
        if raw not in self.kks:  # a KK number repeats for every member: check it once
            try:
                self.kks[raw] = (validate_kk(raw), "")
            except KkError as exc:
                self.kks[raw] = (None, exc.message)
        kk, message = self.kks[raw]
        if kk is None:
            fail("kk", raw, message)
        return kk

    def _relationship(self, raw: str, kk: str | None, fail) -> str:
        if not raw:
            if kk:
                fail("relationship", "", _("Hubungan keluarga (SHDK) wajib diisi bila No KK diisi."))
            return ""
        value = RELATIONSHIPS.get(" ".join(raw.lower().replace("_", " ").split()))
        if value is None:
            fail("relationship", raw, _("Hubungan keluarga tidak dikenal (mis. Kepala Keluarga, Istri, Anak)."))
            return ""
        return value

    def _rt(self, key: str, raw: str, fail) -> str:
        if not raw:
            return ""
        if not _RT.fullmatch(raw):
            fail(key, raw, _("%(col)s harus angka 1–3 digit.") % {"col": _col(key)})
            return ""
        return raw.zfill(3)


def _parse_date(raw: str, today: date) -> date | None:
    if match := _ISO.fullmatch(raw):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.fullmatch(raw):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None  # 31-02-1990 and friends
    return parsed if date(1900, 1, 1) <= parsed <= today else None


def _village_index() -> dict[str, tuple[int, int]]:
    """Every spelling of the city's kelurahan: dotted code, digits only, and the name when unique."""
    city = normalize_code(settings.PILAR_REGION)
    rows = list(Region.objects.within(city).villages().values_list("code", "name", "id", "parent_id"))
    index: dict[str, tuple[int, int]] = {}
    names: dict[str, list[tuple[int, int]]] = {}
    for code, name, pk, parent in rows:
        index[code] = index[code.replace(".", "")] = (pk, parent)
        names.setdefault(name.lower(), []).append((pk, parent))
    index.update({name: ids[0] for name, ids in names.items() if len(ids) == 1})
    return index


def _category_index() -> dict[str, tuple[int, bool]]:
    index: dict[str, tuple[int, bool]] = {}
    for pk, code, number, name, subject in Category.objects.filter(kind__in=Category.RECORDED_KINDS).values_list(
        "id", "code", "number", "name", "subject"
    ):
        value = (pk, subject == Category.Subject.FAMILY)
        for key in (code, str(number), f"{number:02d}", name, code.replace("-", " "), code.replace("-", "")):
            index[key.lower()] = value
    return index


__all__ = ["NikError", "Problem", "Row", "RowValidator"]
