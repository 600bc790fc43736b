"""Load one kabupaten/kota with its kecamatan and kelurahan/desa from the Kemendagri data shipped with Pilar.

The data is ``data/wilayah.csv.gz``: all of Indonesia (91,599 rows, columns ``kode,nama,tingkat,induk``),
see ``data/LICENSE-wilayah.md`` for its source and edition. A deployment serves one city, so only that
city's subtree (plus its province, the city's parent) is written to the database.
"""

import csv
import gzip
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pilar.core.errors import DomainError
from pilar.regions.models import Region

DATA = Path(__file__).resolve().parent / "data" / "wilayah.csv.gz"
KABKOTA_LEVELS = frozenset({Region.Level.KABUPATEN, Region.Level.KOTA})
_KABKOTA_CODE = re.compile(r"\d{2}\.\d{2}")


class _Row(NamedTuple):
    code: str
    name: str
    level: str
    parent: str  # "" for a province

    @property
    def depth(self) -> int:
        return self.code.count(".")


@dataclass
class LoadResult:
    """What ``load_region`` did. The level counts describe the loaded subtree, whatever was already there."""

    code: str
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kecamatan: int = 0
    kelurahan: int = 0
    desa: int = 0


def _rows() -> Iterator[_Row]:
    # Streamed: the whole country is 3.5 MB of text and a load needs a few hundred rows of it.
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)  # header: kode,nama,tingkat,induk
        for kode, nama, tingkat, induk in reader:
            yield _Row(kode, nama, tingkat, induk)


def normalize_code(code: str) -> str:
    """``"3671"`` and ``" 36.71 "`` both mean ``"36.71"``; anything else is returned stripped, as given."""
    code = code.strip()
    if len(code) == 4 and code.isdigit():
        return f"{code[:2]}.{code[2:]}"
    return code


def _not_found(code: str) -> DomainError:
    return DomainError(
        _("Kode kabupaten/kota %(code)s tidak ditemukan dalam data Kemendagri.") % {"code": code},
        field="region",
        code="not_found",
    )


def _subtree(code: str) -> list[_Row]:
    """The province, the kabupaten/kota and everything under it, parents before children."""
    if not _KABKOTA_CODE.fullmatch(code):
        # A kecamatan code such as 36.71.01 would otherwise match itself and load a lone kecamatan.
        raise _not_found(code)
    province, prefix = code.split(".")[0], code + "."
    rows = [row for row in _rows() if row.code in (province, code) or row.code.startswith(prefix)]
    if not any(row.code == code and row.level in KABKOTA_LEVELS for row in rows):
        raise _not_found(code)
    return sorted(rows, key=lambda row: (row.depth, row.code))


def load_region(code: str | None = None) -> LoadResult:
    """Load the kabupaten/kota ``code`` (default ``settings.PILAR_REGION``) with its province and subtree.

    Idempotent: a second run creates and changes nothing; a region renamed in the data (or by hand in
    the database) gets the data's name back. Regions are never deleted, because workers and users
    point at them (``on_delete=PROTECT``).
    """
    # Resolved at call time, not as a default argument, so that override_settings and the environment apply.
    code = normalize_code(code if code is not None else settings.PILAR_REGION)
    # Read (and validate) before opening the transaction: SQLite takes its write lock at BEGIN.
    rows = _subtree(code)
    levels = Counter(row.level for row in rows)
    result = LoadResult(
        code=code,
        name=next(row.name for row in rows if row.code == code),
        kecamatan=levels[Region.Level.KECAMATAN],
        kelurahan=levels[Region.Level.KELURAHAN],
        desa=levels[Region.Level.DESA],
    )

    with transaction.atomic():
        province = code.split(".")[0]
        by_code = {r.code: r for r in Region.objects.filter(code=province) | Region.objects.within(code)}
        for _depth, level_rows in groupby(rows, key=lambda row: row.depth):
            new: list[Region] = []
            changed: list[Region] = []
            for row in level_rows:
                # The previous depth has been written already, so the parent is in by_code with its pk.
                parent = by_code.get(row.parent) if row.parent else None
                region = by_code.get(row.code)
                if region is None:
                    new.append(Region(code=row.code, name=row.name, level=row.level, parent=parent))
                elif (region.name, region.level, region.parent_id) != (row.name, row.level, parent and parent.pk):
                    region.name, region.level, region.parent = row.name, row.level, parent
                    changed.append(region)
                else:
                    result.unchanged += 1
            Region.objects.bulk_create(new, batch_size=500)
            if any(region.pk is None for region in new):
                # Backends that cannot return ids from a bulk insert: read them back for the next depth.
                new = list(Region.objects.filter(code__in=[region.code for region in new]))
            by_code.update((region.code, region) for region in new)
            Region.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=500)
            result.created += len(new)
            result.updated += len(changed)
    return result
