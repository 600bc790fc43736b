"""The DTKS/DTSEN by-name-by-address (BNBA) layout, defined once for both directions.

The import side reads it through the built-in ``dtks`` profile (:mod:`pilar.registry.importer.mapping`); the
export side writes the same columns in the same order (:mod:`pilar.registry.exports`). Each column: the title
written on export, the Pilar field it carries, and the other titles the ministry's and offices' sheets use.

The ministry's layout has no PPKS category: every DTKS row is a poor household's member, so a file without one
is read as Fakir Miskin (``DEFAULTS``). Pilar's export adds a JENIS PPKS column at the end so that a list handed
out and read back keeps its categories.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Column(NamedTuple):
    title: str
    field: str
    aliases: tuple[str, ...] = ()


# National programs whose flag columns become enrollments: field -> program code in the region pack.
PROGRAMS = {"program_pkh": "pkh", "program_bpnt": "bpnt", "program_pbi": "pbi-jk"}

COLUMNS: tuple[Column, ...] = (
    Column("ID DTKS", "external_id", ("IDDTKS", "ID DTSEN", "IDDTSEN", "ID ART", "IDARTBDT", "ID BDT")),
    Column("NO KK", "kk", ("NOKK", "NOMOR KK", "NO. KK")),
    Column("NIK", "nik", ("NO NIK", "NIK ART")),
    Column("NAMA", "name", ("NAMA ART", "NAMA LENGKAP", "NAMA PENERIMA")),
    Column("TGL LAHIR", "birth_date", ("TANGGAL LAHIR", "TGL. LAHIR", "TGLLAHIR")),
    Column("JENIS KELAMIN", "sex", ("JK", "L/P", "JNS KELAMIN")),
    Column("HUB KELUARGA", "relationship", ("SHDK", "HUBUNGAN KELUARGA", "HUB KRT", "HUB. KELUARGA", "HUBKEL")),
    Column("ALAMAT", "address", ("ALAMAT RUMAH",)),
    Column("RT", "rt"),
    Column("RW", "rw"),
    Column("DESA/KELURAHAN", "kelurahan", ("KELURAHAN", "DESA", "NAMA DESA", "NAMA KELURAHAN", "KELURAHAN/DESA")),
    Column("KECAMATAN", "kecamatan", ("NAMA KECAMATAN", "KEC")),
    Column("PKH", "program_pkh", ("FLAG PKH", "STATUS PKH")),
    Column("BPNT", "program_bpnt", ("FLAG BPNT", "SEMBAKO", "BPNT/SEMBAKO")),
    Column("PBI", "program_pbi", ("PBI JK", "PBI-JK", "FLAG PBI", "PBI JKN")),
    Column("JENIS PPKS", "category", ("KATEGORI PPKS", "JENIS PMKS")),
)
TITLES = [c.title for c in COLUMNS]
DEFAULTS = {"category": "PPKS-24"}  # Fakir Miskin: what a DTKS row is when the sheet names no category
DESCRIPTION = _("Layout BNBA DTKS/DTSEN Kementerian Sosial (ID DTKS, NO KK, NIK, NAMA, …, PKH, BPNT, PBI)")

# How flags are written: "Ya", "Y", "1", "V", a check mark; anything else (empty, "Tidak", "0", "-") is no.
_YES = {"ya", "y", "1", "v", "x", "✓", "√", "true", "penerima", "aktif"}


def flag(value: str) -> bool:
    return str(value).strip().lower() in _YES


def mapping() -> dict[str, list[str]]:
    """The built-in profile's mapping: Pilar field -> the titles that may carry it (first: the export's)."""
    return {c.field: [c.title, *c.aliases] for c in COLUMNS}
