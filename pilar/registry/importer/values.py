"""Values as offices write them: NIK/KK typed as numbers or text, dates in every usual form, sex codes,
kelurahan and kecamatan by code or by name with their prefixes. Pure functions over one cell's text,
cached by the validator (a city's sheets repeat the same dates, kelurahan and sexes endlessly)."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from pilar.regions.loader import normalize_code
from pilar.regions.models import Region

SEXES = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "laki": "L",
    "laki2": "L",
    "pria": "L",
    "1": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "pere": "P",
    "2": "P",
}
MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agst": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "nop": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "aug": 8,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: 00:00(?::00)?)?")
_WORDS = re.compile(r"(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})")
_SERIAL = re.compile(r"\d{5}")  # an Excel date serial in a cell not formatted as a date (10000 = 1927)
_YEAR_ONLY = re.compile(r"(?:0{1,2}[-/.]0{1,2}[-/.])?(\d{4})")  # "1970", "00-00-1970": day and month unknown
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
_STRIP = re.compile(r"[\s.\-'`‘’\"]")  # spaces, dots, dashes and the apostrophe that keeps Excel from counting
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts 1900 as a leap year)
_REGION_PREFIX = re.compile(r"^(kelurahan|kel\.?|desa|ds\.?|kecamatan|kec\.?)\s*", re.IGNORECASE)


def scientific(raw: str) -> bool:
    """Excel's way of showing a long number in a General cell ("3.67101E+15"): the digits are lost."""
    return ("E" in raw or "e" in raw) and _SCIENTIFIC.fullmatch(raw) is not None  # no regex for a plain NIK


def digits(raw: str) -> str:
    """A NIK or KK as typed: without spaces, dots, dashes, quotes and a leading apostrophe."""
    if len(raw) == 16 and raw.isdigit() and raw.isascii():  # as typed already (most rows): no regex
        return raw
    return _STRIP.sub("", raw)


def parse_date(raw: str, today: date) -> date | None:
    """A birth date in any of the forms offices use; None when it is not one (or in the future)."""
    text = raw.strip().lower()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif (match := _WORDS.fullmatch(text)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    elif _SERIAL.fullmatch(text) and 10_000 <= int(text) <= 60_000:
        return _in_range(_EXCEL_EPOCH + timedelta(days=int(text)), today)
    else:
        return None
    try:
        return _in_range(date(year, month, day), today)
    except ValueError:
        return None  # 31-02-1990 and friends


def year_only(raw: str, today: date) -> int | None:
    """The year of a birth date whose day and month are unknown ("1970", "00-00-1970"), else None."""
    match = _YEAR_ONLY.fullmatch(raw.strip())
    if match and 1900 <= int(match.group(1)) <= today.year:
        return int(match.group(1))
    return None


def _in_range(parsed: date, today: date) -> date | None:
    return parsed if date(1900, 1, 1) <= parsed <= today else None


def split_place_date(raw: str) -> tuple[str, str]:
    """ "Tangerang, 12-01-1980" (one TEMPAT/TGL LAHIR column) -> ("Tangerang", "12-01-1980")."""
    place, comma, when = raw.rpartition(",")
    if comma and place.strip() and any(ch.isdigit() for ch in when):
        return place.strip(), when.strip()
    return "", raw


def region_key(raw: str) -> str:
    """A kelurahan or kecamatan name as compared: prefixes ("Kel.", "Kelurahan", "Desa", "Kec.") gone,
    any case and spacing."""
    text = " ".join(raw.lower().replace("_", " ").split())
    text = _REGION_PREFIX.sub("", text)
    return re.sub(r"[^0-9a-z]+", "", text)


class VillageIndex:
    """The city's kelurahan by code (dotted or digits) and by name, with the kecamatan to tell two
    kelurahan of the same name apart."""

    def __init__(self) -> None:
        city = normalize_code(settings.PILAR_REGION)
        self.by_code: dict[str, tuple[int, int]] = {}
        self.by_name: dict[str, list[tuple[int, int, str]]] = {}
        self.kecamatan: dict[str, str] = {}  # kecamatan name or code -> its code
        for code, name, pk, parent in (
            Region.objects.within(city).villages().values_list("code", "name", "id", "parent_id")
        ):
            self.by_code[code] = self.by_code[code.replace(".", "")] = (pk, parent)
            self.by_name.setdefault(region_key(name), []).append((pk, parent, code[:8]))
        for code, name in Region.objects.within(city).kecamatan().values_list("code", "name"):
            self.kecamatan[region_key(name)] = self.kecamatan[code.replace(".", "")] = code

    def find(self, raw: str, kecamatan_raw: str = "") -> tuple[tuple[int, int] | None, str]:
        """(kelurahan id, kecamatan id) and, when not found, the message to show."""
        found = self.by_code.get(raw) or self.by_code.get(raw.replace(" ", ""))
        if found:
            return found, ""
        matches = self.by_name.get(region_key(raw), [])
        if kecamatan_raw and len(matches) > 1:
            wanted = self.kecamatan.get(region_key(kecamatan_raw)) or self.kecamatan.get(digits(kecamatan_raw))
            matches = [m for m in matches if m[2] == wanted]
        if len(matches) == 1:
            return matches[0][:2], ""
        if len(matches) > 1:
            message = _("Ada beberapa kelurahan bernama %(name)s: isi kolom Kecamatan atau pakai kode kelurahan.")
            return None, message % {"name": raw}
        return None, _(
            "Kelurahan tidak dikenal atau di luar kota ini: tulis nama atau kode Kemendagri (mis. 36.71.01.1001)."
        )
