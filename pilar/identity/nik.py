"""NIK (Nomor Induk Kependudukan): ``PPKKCC DDMMYY SSSS``.

The first six digits are the region of first registration (province, kab/kota, kecamatan);
then the birth date with 40 added to the day for women; then a serial from 0001.
A NIK is kept for life, so its region need not match today's address and may use a code
that has since been split or renamed: only the province is checked against the code list.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from pilar.core.formatting import tanggal
from pilar.identity.regions_index import province_codes

# People type NIKs as printed on the KTP or copied from spreadsheets: "3671.0112.0385.0001", "3671 01...".
_SEPARATORS = re.compile(r"[\s.\-]")
# ASCII only: str.isdigit() and \d also accept e.g. Arabic-Indic digits, which must not reach the database.
_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")
FEMALE_DAY_OFFSET = 40
MALE, FEMALE = "L", "P"


class NikError(ValueError):
    """An invalid NIK; ``message`` is ready to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NikInfo:
    nik: str  # the 16 digits, without separators
    province: str  # "36"
    kabkota: str  # "3671"
    kecamatan: str  # "367101"
    birth_date: date
    sex: str  # "L" or "P"
    serial: str  # "0001"


def clean_nik(value: str | None) -> str:
    """The value without the separators people type; not validated."""
    return _SEPARATORS.sub("", str(value or ""))


def parse_nik(value: str, *, today: date | None = None) -> NikInfo:
    """Validate a NIK and read what it says; raises :class:`NikError` with an Indonesian message."""
    nik = clean_nik(value)
    if not _SIXTEEN_DIGITS.fullmatch(nik):
        raise NikError(_("NIK harus 16 digit angka."))
    _check_region(nik)
    birth_date, sex = _birth_date_and_sex(nik, today or date.today())
    serial = nik[12:]
    if serial == "0000":
        raise NikError(_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))
    return NikInfo(
        nik=nik,
        province=nik[:2],
        kabkota=nik[:4],
        kecamatan=nik[:6],
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


def _check_region(nik: str) -> None:
    province, kabkota, kecamatan = nik[:2], nik[2:4], nik[4:6]
    if province not in province_codes():
        raise NikError(_("Kode provinsi NIK (%(code)s) tidak dikenal.") % {"code": province})
    if kabkota == "00":
        raise NikError(_("Kode kabupaten/kota pada NIK (digit 3–4) tidak boleh 00."))
    if kecamatan == "00":
        raise NikError(_("Kode kecamatan pada NIK (digit 5–6) tidak boleh 00."))


def _birth_date_and_sex(nik: str, today: date) -> tuple[date, str]:
    dd, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    # Men have day 01–31, women 41–71; 32–40 and 72+ belong to nobody.
    sex = FEMALE if dd > FEMALE_DAY_OFFSET else MALE
    day = dd - FEMALE_DAY_OFFSET if sex == FEMALE else dd
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise _invalid_birth_date()
    try:
        return date(_resolve_year(yy, month, day, today), month, day), sex
    except ValueError as exc:  # 30 Februari, 31 April, 29 Februari of a common year
        raise _invalid_birth_date() from exc


def _invalid_birth_date() -> NikError:
    return NikError(_("Tanggal lahir dalam NIK tidak valid."))


def _resolve_year(yy: int, month: int, day: int, today: date) -> int:
    """The latest century in which the birth date is not after today (nobody is born in the future)."""
    year = today.year - today.year % 100 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def check_nik_consistency(nik: str, *, birth_date: date | None, sex: str | None) -> list[tuple[str, str]]:
    """``(field, message)`` for every way the entered birth date and sex contradict the NIK.

    An invalid NIK gives ``[("nik", message)]``. Birth dates are compared on day, month and the
    last two digits of the year: the NIK cannot tell 1925 from 2025, and guessing must not raise
    a false alarm on an old person's record.
    """
    try:
        info = parse_nik(nik)
    except NikError as exc:
        return [("nik", exc.message)]
    problems: list[tuple[str, str]] = []
    if birth_date is not None and _day_month_yy(birth_date) != _day_month_yy(info.birth_date):
        message = _("Tanggal lahir tidak sesuai dengan NIK: NIK menunjukkan %(date)s.")
        problems.append(("birth_date", message % {"date": tanggal(info.birth_date)}))
    if sex and sex.upper() != info.sex:
        shown = _("perempuan") if info.sex == FEMALE else _("laki-laki")
        message = _("Jenis kelamin tidak sesuai dengan NIK: NIK menunjukkan %(sex)s.")
        problems.append(("sex", message % {"sex": shown}))
    return problems


def _day_month_yy(value: date) -> tuple[int, int, int]:
    return value.day, value.month, value.year % 100


def mask_nik(nik: str | None) -> str:
    """``"3671********0001"``: enough to tell records apart on screen, not enough to misuse."""
    return mask_identifier(nik)


def mask_identifier(value: str | None) -> str:
    """First four and last four characters with eight asterisks between (NIK, No. KK)."""
    digits = clean_nik(value)
    if not digits:
        return ""
    if len(digits) <= 8:
        # Too short to keep both ends without showing all of it: hide everything.
        return "*" * len(digits)
    return digits[:4] + "*" * 8 + digits[-4:]


def make_nik(*, kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """The NIK a person with these facts would get (demo data and tests); the inverse of :func:`parse_nik`.

    ``kecamatan_code`` may be dotted (``"36.71.01"``) or not (``"367101"``). Bad arguments raise
    ``ValueError`` rather than producing a NIK that silently fails to parse later.
    """
    region = kecamatan_code.replace(".", "")
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ValueError(f"kecamatan_code must have 6 digits, got {kecamatan_code!r}")
    if sex not in (MALE, FEMALE):
        raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
