"""Checking one row of an import file: every problem is reported, with the column and value, in Indonesian.

This runs a million times per big import, so the common path is plain dict lookups and string
slicing; the identity module's parsers are called only to word the message for a bad value.
"""

import re
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pilar.core.sheets import Problem
from pilar.identity.kk import KkError, validate_kk
from pilar.identity.names import normalize_name
from pilar.identity.nik import NikError, check_nik_consistency, parse_nik
from pilar.identity.regions_index import province_codes
from pilar.registry import bnba, plausibility
from pilar.registry.importer import values
from pilar.registry.importer.categories import category_index, category_key, unknown_message
from pilar.registry.importer.columns import LABELS
from pilar.registry.models import Relationship

_RT = re.compile(r"[0-9]{1,3}")
SEXES = values.SEXES
# SHDK as Dukcapil prints it, by name and by its code (1 = kepala keluarga ... 11 = lainnya).
_SHDK_NAMES = [
    "kepala keluarga",
    "suami",
    "istri",
    "anak",
    "menantu",
    "cucu",
    "orang tua",
    "mertua",
    "famili lain",
    "pembantu",
    "lainnya",
]
RELATIONSHIPS: dict[str, str] = {}
for _code, (_name, _value) in enumerate(zip(_SHDK_NAMES, Relationship.values, strict=True), start=1):
    RELATIONSHIPS.update({_name: _value, _value: _value, str(_code): _value, _value.replace("_", " "): _value})
RELATIONSHIPS.update(
    {
        "kepala": "kepala",
        "kk": "kepala",
        "kepala rumah tangga": "kepala",
        "krt": "kepala",
        "famili": "famili",
        "family": "famili",
        "anak kandung": "anak",
        "anak angkat": "anak",
        "anak tiri": "anak",
        "orangtua": "orang_tua",
        "isteri": "istri",
        "ayah": "orang_tua",
        "ibu": "orang_tua",
        "lain lain": "lainnya",
        "lain-lain": "lainnya",
    }
)


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
    external_id: str = ""  # ID DTKS/DTSEN
    programs: tuple[str, ...] = ()  # national programs flagged on the row (program codes)


ORDER = (
    "nik",
    "kk",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "kelurahan",
    "kecamatan",
    "rt",
    "rw",
    "address",
    "relationship",
    "category",
    "notes",
)


NOT_ACCEPTED = _lazy('Baris tidak diimpor: pilih "impor juga baris dengan peringatan" bila datanya memang benar.')


def _rules_by_category() -> dict[int, tuple[str, str]]:
    """Category id -> (code, name) of the categories that have a plausibility rule."""
    from pilar.registry.models import Category

    codes = plausibility.rules()
    return {
        pk: (code, name) for pk, code, name in Category.objects.filter(code__in=codes).values_list("id", "code", "name")
    }


SWAPPED = _lazy("Tanggal dan bulan lahir di baris ini tampaknya tertukar.")


def _swapped(birth: date, nik: str) -> bool:
    """Whether the row's birth date is the NIK's with day and month swapped (04-07 written for 07-04)."""
    if birth.day > 12 or birth.day == birth.month:
        return False
    return parse_nik(nik).birth_date == birth.replace(month=birth.day, day=birth.month)


class RowValidator:
    def __init__(
        self,
        columns: dict[str, int],
        *,
        titles: dict[str, str] | None = None,
        today: date | None = None,
        defaults: dict[str, str] | None = None,
        accept_warnings: bool = False,
    ):
        self.columns = columns
        self.titles = {key: (titles or {}).get(key) or label for key, label in LABELS.items()}
        self.default_category = (defaults or {}).get("category", "")
        self.accept_warnings = accept_warnings
        self.warnings: list[Problem] = []  # accepted warnings of the rows checked since the last batch
        self.rules = _rules_by_category()
        # The BNBA columns, read only when the sheet has them: the common path stays as it was.
        self.external = columns.get("external_id")
        self.flags = [(columns[key], code) for key, code in bnba.PROGRAMS.items() if key in columns]
        # Every column read in one C call; a column the file lacks points at a padding "" cell.
        self.width = max(columns.values()) + 2
        missing = self.width - 1
        self.pick = itemgetter(*(columns.get(key, missing) for key in ORDER))
        self.names: dict[str, str] = {}
        self.today = today or date.today()
        self.dates: dict[str, tuple[int | None, date | None]] = {}
        self.shdk: dict[str, str | None] = {}
        self.rts: dict[str, str | None] = {}
        self.kks: dict[str, tuple[str | None, str]] = {}
        self.villages = values.VillageIndex()
        self.places: dict[tuple[str, str], tuple[tuple[int, int] | None, str]] = {}
        self.categories, self.category_names = category_index()
        self.provinces = province_codes()

    def check(self, number: int, cells: list[str]) -> tuple[Row | None, list[Problem]]:
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        (
            nik_raw,
            kk_raw,
            raw_name,
            sex_raw,
            place,
            birth_raw,
            village_raw,
            kecamatan_raw,
            rt_raw,
            rw_raw,
            address,
            shdk,
            cat_raw,
            notes,
        ) = self.pick(cells)
        if not cat_raw:
            cat_raw = self.default_category
        problems: list[Problem] = []
        name = " ".join(raw_name.split())

        def fail(key: str, value: str, message: str) -> None:
            problems.append((number, self.titles[key], LABELS[key], name, value, message))

        if not name:
            fail("name", "", _("Nama wajib diisi."))
        elif len(name) > 150:
            fail("name", name[:40], _("Nama terlalu panjang (maksimal 150 karakter)."))
        sex = SEXES.get(sex_raw.lower().strip(". "))
        if sex_raw and sex is None:
            fail("sex", sex_raw, _("Jenis kelamin tidak dikenal: tulis L/P, Laki-laki/Perempuan, LK/PR atau 1/2."))
        if birth_raw and not place and "," in birth_raw:
            place, birth_raw = values.split_place_date(birth_raw)  # one TEMPAT/TGL LAHIR column
        year, birth = self._date(birth_raw, fail)
        nik = self._nik(nik_raw, birth, sex, fail)
        if nik and (birth is None or sex is None) and not problems:
            info = parse_nik(nik)  # already known valid: fill what the row left out
            birth, sex = birth or info.birth_date, sex or info.sex
        if birth is None and year is not None:
            birth = date(year, 1, 1)  # day and month unknown: Dukcapil's own placeholder, 1 January
        if sex is None and not sex_raw:
            fail("sex", "", _("Jenis kelamin wajib diisi (L atau P)."))
        village = self._village(village_raw, kecamatan_raw, fail)
        category = self._category(cat_raw, fail)
        kk = self._kk(kk_raw, fail)
        relationship = self._relationship(shdk, fail)
        rt, rw = self._rt("rt", rt_raw, fail), self._rt("rw", rw_raw, fail)
        if category is not None and category[0] in self.rules and not problems:
            self._plausible(number, name, category[0], sex, birth, cat_raw, problems)
        if problems:
            return None, problems
        external = cells[self.external].strip()[:40] if self.external is not None else ""
        programs = tuple(code for index, code in self.flags if bnba.flag(cells[index])) if self.flags else ()
        return (
            Row(
                number,
                nik,
                kk,
                name,
                self._normalized(name),
                sex,  # type: ignore[arg-type]  # a row without a sex has a problem and returned above
                place[:80],
                birth,  # type: ignore[arg-type]
                village[0],  # type: ignore[index]
                village[1],  # type: ignore[index]
                rt,
                rw,
                address[:250],
                relationship,
                category[0],  # type: ignore[index]
                category[1],  # type: ignore[index]
                notes,
                external,
                programs,
            ),
            problems,
        )

    def _plausible(
        self,
        number: int,
        name: str,
        category_id: int,
        sex: str | None,
        birth: date | None,
        raw: str,
        problems: list[Problem],
    ) -> None:
        """A category that does not fit the person: a warning, which refuses the row unless warnings are accepted."""
        code, label = self.rules[category_id]
        for message in plausibility.warnings(code, label, sex=sex, born=birth, today=self.today):
            warning = (number, self.titles["category"], LABELS["category"], name, raw, _("Peringatan: ") + message)
            if self.accept_warnings:
                self.warnings.append(warning)
            else:
                problems.append((*warning[:5], f"{warning[5]} {NOT_ACCEPTED}"))

    def _normalized(self, name: str) -> str:
        # Names repeat a lot in a city (Siti Aminah, Muhammad Rizki): normalise each spelling once.
        found = self.names.get(name)
        if found is None:
            if len(self.names) > 300_000:
                self.names.clear()
            found = self.names[name] = normalize_name(name)
        return found

    def _date(self, raw: str, fail) -> tuple[int | None, date | None]:
        """The year of a date known only by its year ("1970", "00-00-1970"), else the date (None: none or bad)."""
        found = self.dates.get(raw)
        if found is None:  # a city's sheets repeat the same birth dates endlessly: each spelling parsed once
            year = values.year_only(raw, self.today)
            parsed = values.parse_date(raw, self.today) if raw and year is None else None
            found = self.dates[raw] = (year, parsed)
        if raw and found == (None, None):
            fail(
                "birth_date",
                raw,
                _(
                    "Tanggal lahir tidak valid: tulis mis. 12-01-1980, 12/01/1980, 12 Januari 1980 "
                    "atau 1980-01-12 (atau format sel Tanggal)."
                ),
            )
        return found

    def _nik(self, raw: str, birth: date | None, sex: str | None, fail) -> str | None:
        if not raw:
            return None
        if values.scientific(raw):
            fail(
                "nik",
                raw,
                _("NIK tertulis %(value)s: format sel Excel mengubahnya; ubah kolom ke Teks") % {"value": raw},
            )
            return None
        nik = values.digits(raw)
        if birth is not None and sex is not None and self._fast_nik_ok(nik, birth, sex):
            return nik
        problems = check_nik_consistency(nik, birth_date=birth, sex=sex)
        for field, message in problems:
            if field == "birth_date" and birth is not None and _swapped(birth, nik):
                message = f"{message} {SWAPPED}"
            fail({"nik": "nik", "birth_date": "birth_date", "sex": "sex"}[field], raw, message)
        return None if problems else nik

    def _fast_nik_ok(self, nik: str, birth: date, sex: str) -> bool:
        # The NIK's DDMMYY must be the row's birth date (day + 40 for women): then it is a real date.
        day = birth.day + 40 if sex == "P" else birth.day
        return (
            len(nik) == 16
            and nik.isdigit()
            and nik.isascii()  # [0-9]{16} without a regex
            and nik[6:12] == f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            and nik[:2] in self.provinces
            and nik[2:4] != "00"
            and nik[4:6] != "00"
            and nik[12:] != "0000"
        )

    def _village(self, raw: str, kecamatan: str, fail) -> tuple[int, int] | None:
        if not raw:
            fail("kelurahan", "", _("Kelurahan wajib diisi (nama atau kode Kemendagri, mis. 36.71.01.1001)."))
            return None
        key = (raw, kecamatan)
        if key not in self.places:
            self.places[key] = self.villages.find(raw, kecamatan)
        found, message = self.places[key]
        if found is None:
            fail("kelurahan", raw, message)
        return found

    def _category(self, raw: str, fail) -> tuple[int, bool] | None:
        if not raw:
            fail("category", "", _("Kategori PPKS wajib diisi (nama atau kode, mis. Fakir Miskin atau PPKS-24)."))
            return None
        found = self.categories.get(raw)
        if found is None:
            found = self.categories.get(category_key(raw))
            self.categories[raw] = found  # type: ignore[assignment]  # the next row with this spelling: one look-up
        if found is None:
            fail("category", raw, unknown_message(raw, self.category_names))
        return found

    def _kk(self, raw: str, fail) -> str | None:
        if not raw:
            return None
        found = self.kks.get(raw)
        if found is None:  # a KK number repeats for every member: check it once
            if values.scientific(raw):
                message = _("No KK tertulis %(value)s: format sel Excel mengubahnya; ubah kolom ke Teks")
                found = (None, message % {"value": raw})
            else:
                try:
                    found = (validate_kk(values.digits(raw)), "")
                except KkError as exc:
                    found = (None, exc.message)
            self.kks[raw] = found
        kk, message = found
        if kk is None:
            fail("kk", raw, message)
        return kk

    def _relationship(self, raw: str, fail) -> str:
        """The SHDK; empty (unknown, to be filled in later) when the sheet has none, also beside a KK."""
        if not raw:
            return ""
        if raw in self.shdk:
            value = self.shdk[raw]
        else:
            value = self.shdk[raw] = RELATIONSHIPS.get(" ".join(raw.lower().replace("_", " ").split()))
        if value is None:
            fail("relationship", raw, _("Hubungan keluarga tidak dikenal (mis. Kepala Keluarga, Istri, Anak)."))
            return ""
        return value

    def _rt(self, key: str, raw: str, fail) -> str:
        if not raw:
            return ""
        if raw in self.rts:
            value = self.rts[raw]
        else:
            value = self.rts[raw] = raw.zfill(3) if _RT.fullmatch(raw) else None
        if value is None:
            fail(key, raw, _("%(col)s harus angka 1–3 digit.") % {"col": LABELS[key]})
            return ""
        return value


__all__ = ["NikError", "Problem", "Row", "RowValidator"]
