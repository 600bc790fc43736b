"""Load one kabupaten/kota with its kecamatan and kelurahan/desa from the Kemendagri data shipped with Pilar."""

import csv
import gzip
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pilar.core.errors import DomainError
from pilar.regions.models import Region

DATA = Path(__file__).resolve().parent / "data" / "wilayah.csv.gz"
KABKOTA_LEVELS = {"kabupaten", "kota"}


@dataclass
class LoadResult:
    code: str
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    levels: Counter = field(default_factory=Counter)

    @property
    def kecamatan(self) -> int:
        return self.levels["kecamatan"]

    @property
    def kelurahan(self) -> int:
        return self.levels["kelurahan"]

    @property
    def desa(self) -> int:
        return self.levels["desa"]


def _rows():
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def normalize_code(code: str) -> str:
    code = code.strip()
    if "." not in code and len(code) == 4 and code.isdigit():
        return f"{code[:2]}.{code[2:]}"
    return code


def iter_kabkota() -> list[tuple[str, str]]:
    return [(r["kode"], r["nama"]) for r in _rows() if r["tingkat"] in KABKOTA_LEVELS]


def _subtree(code: str) -> list[dict[str, str]]:
    province = code.split(".")[0]
    prefix = code + "."
    rows = [r for r in _rows() if r["kode"] in (province, code) or r["kode"].startswith(prefix)]
    target = next((r for r in rows if r["kode"] == code), None)
    if target is None or target["tingkat"] not in KABKOTA_LEVELS:
        raise DomainError(
            _("Kode kabupaten/kota %(code)s tidak ditemukan dalam data Kemendagri.") % {"code": code},
            field="region",
        )
    # Parents before children, so every parent exists when its children are written.
    return sorted(rows, key=lambda r: (r["kode"].count("."), r["kode"]))


@transaction.atomic
def load_region(code: str | None = None) -> LoadResult:
    """Idempotent: a second run creates and changes nothing; a renamed region is updated."""
    code = normalize_code(code or settings.PILAR_REGION)
    rows = _subtree(code)
    result = LoadResult(code=code, name=next(r["nama"] for r in rows if r["kode"] == code))
    existing = {r.code: r for r in Region.objects.filter(code__in=[r["kode"] for r in rows])}
    by_depth: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_depth.setdefault(row["kode"].count("."), []).append(row)
    for depth in sorted(by_depth):
        parents = {
            r.code: r
            for r in Region.objects.filter(code__in={r["induk"] for r in by_depth[depth] if r["induk"]})
        }
        new, changed = [], []
        for row in by_depth[depth]:
            result.levels[row["tingkat"]] += 1
            parent = parents.get(row["induk"])
            region = existing.get(row["kode"])
            if region is None:
                new.append(Region(code=row["kode"], name=row["nama"], level=row["tingkat"], parent=parent))
            elif (region.name, region.level, region.parent_id) != (
                row["nama"],
                row["tingkat"],
                parent and parent.pk,
            ):
                region.name, region.level, region.parent = row["nama"], row["tingkat"], parent
                changed.append(region)
            else:
                result.unchanged += 1
        Region.objects.bulk_create(new, batch_size=1000)
        Region.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=1000)
        result.created += len(new)
        result.updated += len(changed)
    return result
