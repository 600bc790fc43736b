"""The import file's columns: Indonesian names, the aliases people type, and which are required."""

import re
from datetime import date

# Canonical key -> the header shown in the template (first) and the spellings accepted for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No. NIK", "No NIK", "Nomor NIK", "Nomor Induk Kependudukan", "NIK KTP", "No KTP", "NIK ART"),
    "kk": ("No KK", "No. KK", "Nomor KK", "KK", "Nomor Kartu Keluarga", "NOKK", "No. Kartu Keluarga", "NIK KK"),
    "name": (
        "Nama Lengkap",
        "Nama",
        "Nama Penerima",
        "Nama PPKS",
        "Nama ART",
        "Nama Anggota Keluarga",
        "Nama Penerima Manfaat",
        "Nama Sesuai KTP",
        "Nama PMKS",
    ),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin", "Jenis Kelamin (L/P)", "Sex", "Gender"),
    "birth_place": ("Tempat Lahir", "Tmp Lahir", "Tmpt Lahir"),
    "birth_date": (
        "Tanggal Lahir",
        "Tgl Lahir",
        "Tgl. Lahir",
        "TTL",
        "Tempat/Tgl Lahir",
        "Tempat Tanggal Lahir",
        "Tempat, Tanggal Lahir",
        "Tempat/Tanggal Lahir",
        "Tgl Lhr",
        "Tanggal Lahir (dd-mm-yyyy)",
    ),
    "kelurahan": (
        "Kode Kelurahan",
        "Kelurahan",
        "Kelurahan/Desa",
        "Kode Wilayah",
        "Desa/Kelurahan",
        "Desa",
        "Kel",
        "Kel.",
        "Kel/Desa",
        "Nama Kelurahan",
        "Kode Desa",
        "Desa/Kel",
    ),
    "kecamatan": ("Kecamatan", "Kec", "Kec.", "Kode Kecamatan", "Nama Kecamatan"),
    "rt": ("RT",),
    "rw": ("RW",),
    "address": ("Alamat", "Alamat Lengkap", "Alamat Rumah", "Jalan", "Alamat/Jalan"),
    "relationship": (
        "Hubungan Keluarga",
        "SHDK",
        "Hubungan dalam Keluarga",
        "Status Hubungan",
        "Hub Keluarga",
        "Hub. Keluarga",
        "Hubungan dengan Kepala Keluarga",
        "Status dalam Keluarga",
        "Hub KK",
    ),
    "category": (
        "Kategori PPKS",
        "Kode PPKS",
        "Kategori",
        "Jenis PPKS",
        "Jenis PMKS",
        "Kategori PMKS",
        "PPKS",
        "PMKS",
        "Jenis Masalah",
        "Jenis Permasalahan",
    ),
    "notes": ("Keterangan", "Catatan", "Ket", "Ket."),
}
# What each key is called in Pilar, for messages beside the sheet's own column title.
LABELS = {key: names[0] for key, names in COLUMNS.items()}
REQUIRED = ("nik", "name", "sex", "birth_date", "kelurahan", "category")
TEMPLATE_KEYS = [key for key in COLUMNS if key != "kecamatan"]  # the kelurahan code says the kecamatan
TEMPLATE_HEADERS = [COLUMNS[key][0] for key in TEMPLATE_KEYS]


def example_row(kelurahan_code: str, birth_place: str) -> list[str]:
    """The template's example row, in a kelurahan of the installation's own region (never a fixed city)."""
    from pilar.identity.nik import make_nik

    kecamatan = kelurahan_code.rsplit(".", 1)[0]
    nik = make_nik(kecamatan_code=kecamatan, birth_date=date(1980, 1, 5), sex="P", serial=1)
    return [
        nik,
        kecamatan.replace(".", "") + "1203150007",
        "Siti Aminah",
        "P",
        birth_place,
        "05-01-1980",
        kelurahan_code,
        "001",
        "002",
        "Jl. Merdeka No. 1",
        "Kepala Keluarga",
        "PPKS-24",
        "",
    ]


_NOISE = re.compile(r"[^0-9a-z]+")


def header_key(header: str) -> str:
    """A column title as compared: lower case, punctuation and spaces gone ("N I K", "No. K.K" -> "nik", "nokk")."""
    return _NOISE.sub("", str(header or "").lower())


ALIASES = {header_key(alias): canonical for canonical, names in COLUMNS.items() for alias in names}


def match_header(title: str) -> str | None:
    """The Pilar field a column title names, or None; "Jenis Kelamin (L/P)" and "NIK *" are found too."""
    key = header_key(title)
    if key in ALIASES:
        return ALIASES[key]
    bare = header_key(re.sub(r"\(.*?\)|\*", "", str(title or "")))
    return ALIASES.get(bare)


class HeaderError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
