"""The import file's columns: Indonesian names, the aliases people type, and which are required."""

import re
from datetime import date

from django.utils.translation import gettext as _

# Canonical key -> the header shown in the template (first) and the spellings accepted for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No. NIK", "No NIK", "Nomor NIK", "Nomor Induk Kependudukan"),
    "kk": ("No KK", "No. KK", "Nomor KK", "KK", "Nomor Kartu Keluarga"),
    "name": ("Nama Lengkap", "Nama", "Nama Penerima", "Nama PPKS"),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin"),
    "birth_place": ("Tempat Lahir",),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "TTL"),
    "kelurahan": ("Kode Kelurahan", "Kelurahan", "Kelurahan/Desa", "Kode Wilayah", "Desa/Kelurahan"),
    "rt": ("RT",),
    "rw": ("RW",),
    "address": ("Alamat", "Alamat Lengkap"),
    "relationship": ("Hubungan Keluarga", "SHDK", "Hubungan dalam Keluarga", "Status Hubungan"),
    "category": ("Kategori PPKS", "Kode PPKS", "Kategori", "Jenis PPKS"),
    "notes": ("Keterangan", "Catatan"),
}
REQUIRED = ("nik", "name", "sex", "birth_date", "kelurahan", "category")
TEMPLATE_HEADERS = [names[0] for names in COLUMNS.values()]


def example_row(kelurahan_code: str, birth_place: str) -> list[str]:
    """The template's example row, in a kelurahan of the installation's own region (never a fixed city)."""
    from pilar.identity.nik import make_nik

    kecamatan = kelurahan_code.rsplit(".", 1)[0]
    nik = make_nik(kecamatan_code=kecamatan, birth_date=date(1980, 1, 5), sex="P", serial=1)
    return [
        nik, kecamatan.replace(".", "") + "1203150007", "Siti Aminah", "P", birth_place, "05-01-1980", kelurahan_code,
        "001", "002", "Jl. Merdeka No. 1", "Kepala Keluarga", "PPKS-24", "",
    ]  # fmt: skip


_NOISE = re.compile(r"[\s._/\-]+")


def _key(header: str) -> str:
    return _NOISE.sub(" ", header.strip().lower()).strip()


ALIASES = {_key(alias): canonical for canonical, names in COLUMNS.items() for alias in names}


class HeaderError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def map_headers(headers: list[str]) -> dict[str, int]:
    """Canonical key -> column index; raises :class:`HeaderError` naming what is missing or doubled."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        canonical = ALIASES.get(_key(str(header or "")))
        if canonical is None:
            continue  # extra columns (e.g. the generator's cluster_id) are ignored
        if canonical in found:
            raise HeaderError(_("Kolom %(col)s muncul lebih dari sekali.") % {"col": COLUMNS[canonical][0]})
        found[canonical] = index
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise HeaderError(
            _("Kolom wajib tidak ditemukan: %(cols)s. Gunakan templat impor.") % {"cols": ", ".join(missing)}
        )
    return found
