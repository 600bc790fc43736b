"""Province and kab/kota codes (Kemendagri) shipped with Pilar, for checking identifiers without the database.

NIK and No. KK validation must work in forms, imports and tests that have no region table loaded,
so the codes come straight from the packaged CSV rather than from ``pilar.regions.models``.
"""

import csv
import gzip
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "regions" / "data" / "wilayah.csv.gz"

# "36" is a province, "36.71" a kab/kota; kecamatan ("36.71.01") and desa rows are longer and not needed here.
_PROVINCE_LEN = 2
_KABKOTA_LEN = 5


@lru_cache(maxsize=1)
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    provinces: set[str] = set()
    kabkota: set[str] = set()
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows, None)  # header: kode,nama,tingkat,induk
        for row in rows:
            code = row[0].strip() if row else ""
            # Most of the ~90 000 rows are desa/kelurahan; skip them before doing any other work.
            if len(code) == _PROVINCE_LEN:
                provinces.add(code)
            elif len(code) == _KABKOTA_LEN:
                kabkota.add(code.replace(".", ""))
    return frozenset(provinces), frozenset(kabkota)


def province_codes() -> frozenset[str]:
    """Two-digit province codes, e.g. ``"36"`` (Banten)."""
    return _codes()[0]


def kabkota_codes() -> frozenset[str]:
    """Four-digit kab/kota codes without dots, e.g. ``"3671"`` (Kota Tangerang)."""
    return _codes()[1]
