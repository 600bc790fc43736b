"""NIK (Nomor Induk Kependudukan): ``PPKKCC DDMMYY SSSS``.

The first six digits are the region of first registration (province, kab/kota,
kecamatan); then the birth date with 40 added to the day for women; then a serial.
The region part need not match today's address, so only the province is checked.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from pilar.core.formatting import tanggal
from pilar.identity.regions_index import province_codes

_SEPARATORS = re.compile(r"[\s.\-]")
FEMALE_DAY_OFFSET = 40


class NikError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province: str
    kabkota: str
    kecamatan: str
    birth_date: date
    sex: str
    serial: str


def _resolve_year(yy: int, month: int, day: int, today: date) -> int:
    """The latest century in which the birth date is not after today."""
    year = today.year - today.year % 100 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def parse_nik(value: str, *, today: date | None = None) -> NikInfo:
    nik = _SEPARATORS.sub("", str(value or ""))
    if not re.fullmatch(r"\d{16}", nik):
        raise NikError(_("NIK harus 16 digit angka."))
    province, kab, kec = nik[:2], nik[2:4], nik[4:6]
    if province not in province_codes():
        raise NikError(_("Kode provinsi NIK (%(code)s) tidak dikenal.") % {"code": province})
    if kab == "00" or kec == "00":
        raise NikError(_("Kode kabupaten/kota atau kecamatan pada NIK tidak valid."))
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if dd > FEMALE_DAY_OFFSET else "L"
    day = dd - FEMALE_DAY_OFFSET if sex == "P" else dd
    if not (1 <= day <= 31 and 1 <= mm <= 12):
        raise NikError(_("Tanggal lahir dalam NIK tidak valid."))
    year = _resolve_year(yy, mm, day, today or date.today())
    try:
        born = date(year, mm, day)
    except ValueError as exc:
        raise NikError(_("Tanggal lahir dalam NIK tidak valid.")) from exc
    if nik[12:] == "0000":
        raise NikError(_("Nomor urut NIK tidak boleh 0000."))
    return NikInfo(nik, province, nik[:4], nik[:6], born, sex, nik[12:])


def check_nik_consistency(nik: str, *, birth_date: date | None, sex: str | None) -> list[tuple[str, str]]:
    """``(field, message)`` for every way the entered birth date and sex contradict the NIK."""
    try:
        info = parse_nik(nik)
    except NikError as exc:
        return [("nik", exc.message)]
    problems: list[tuple[str, str]] = []
    if birth_date is not None and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        info.birth_date.day,
        info.birth_date.month,
        info.birth_date.year % 100,
    ):
        problems.append(
            (
                "birth_date",
                _("Tanggal lahir tidak sesuai dengan NIK: NIK menunjukkan %(date)s.")
                % {"date": _nik_date(info)},
            )
        )
    if sex and sex != info.sex:
        shown = _("perempuan") if info.sex == "P" else _("laki-laki")
        problems.append(
            ("sex", _("Jenis kelamin tidak sesuai dengan NIK: NIK menunjukkan %(sex)s.") % {"sex": shown})
        )
    return problems


def _nik_date(info: NikInfo) -> str:
    return tanggal(info.birth_date)


def mask_nik(nik: str | None) -> str:
    if not nik:
        return ""
    return nik[:4] + "*" * 8 + nik[-4:]


def make_nik(*, kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """The NIK a person with these facts would get (for demo data and tests)."""
    region = kecamatan_code.replace(".", "")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
