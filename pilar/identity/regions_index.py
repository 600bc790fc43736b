"""Province and kab/kota codes from the Kemendagri data shipped with Pilar, for identifier checks."""

import csv
import gzip
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "regions" / "data" / "wilayah.csv.gz"


@lru_cache(maxsize=1)
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    provinces: set[str] = set()
    kabkota: set[str] = set()
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["kode"]
            if len(code) == 2:
                provinces.add(code)
            elif len(code) == 5:
                kabkota.add(code.replace(".", ""))
    return frozenset(provinces), frozenset(kabkota)


def province_codes() -> frozenset[str]:
    return _codes()[0]


def kabkota_codes() -> frozenset[str]:
    return _codes()[1]
