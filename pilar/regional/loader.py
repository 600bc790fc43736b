"""Region data packs: what one kota/kabupaten's Dinas Sosial starts with (agencies, programs, incentive rates,
the office's letterhead).

A pack is a JSON file (``packs/<kode>.json`` shipped with Pilar, or the office's own file). It is loaded once
for the configured region (``PILAR_REGION``) after ``migrate``; loading creates what is missing and never
overwrites what the office has since edited. A region without a pack starts with empty, editable tables.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from pilar.accounts.models import Agency
from pilar.core.errors import DomainError
from pilar.incentives.models import IncentiveRate
from pilar.programs.models import Program
from pilar.regional.models import PackLoad
from pilar.regions.loader import normalize_code
from pilar.regions.models import Office
from pilar.regions.office import OFFICE_FIELDS
from pilar.registry.models import Category
from pilar.registry.reference import load_categories

PACKS = Path(__file__).resolve().parent / "packs"
PROGRAM_LINKS = ("code", "categories", "agency", "exit_category")


def shipped_pack(region: str) -> Path | None:
    path = PACKS / f"{normalize_code(region)}.json"
    return path if path.exists() else None


def read_pack(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError(f"Paket data daerah {path} tidak dapat dibaca: {exc}") from exc
    if not isinstance(data, dict) or not data.get("region"):
        raise DomainError(f"Paket data daerah {path}: isian 'region' (kode wilayah) wajib ada.")
    return data


def _program_fields(spec: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in spec.items() if k not in PROGRAM_LINKS}
    if isinstance(fields.get("active_from"), str):
        fields["active_from"] = date.fromisoformat(fields["active_from"])
    if isinstance(fields.get("active_until"), str):
        fields["active_until"] = date.fromisoformat(fields["active_until"])
    return fields


def _load_programs(specs: list[dict[str, Any]], agencies: dict[str, Agency]) -> int:
    created = 0
    for spec in specs:
        if Program.objects.filter(code=spec["code"]).exists():
            continue
        agency = agencies.get(spec["agency"]) or Agency.objects.filter(code=spec["agency"]).first()
        if agency is None:
            raise DomainError(f"Program {spec['code']}: OPD '{spec['agency']}' tidak ada di paket maupun di Pilar.")
        exit_category = Category.objects.filter(code=spec.get("exit_category") or "").first()
        program = Program.objects.create(
            code=spec["code"], agency=agency, exit_category=exit_category, **_program_fields(spec)
        )
        program.categories.set(Category.objects.filter(code__in=spec.get("categories", [])))
        created += 1
    return created


@transaction.atomic
def load_pack(data: dict[str, Any], *, source: str) -> dict[str, int]:
    """Create the pack's missing agencies, programs and rates; returns how many of each were created."""
    if not Category.objects.exists():
        load_categories(Category)  # national categories the programs refer to (gone after a test flush)
    agencies, counts = {}, {"agencies": 0, "programs": 0, "incentive_rates": 0}
    for row in data.get("agencies", []):
        agencies[row["code"]], created = Agency.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
        counts["agencies"] += created
    counts["programs"] = _load_programs(data.get("programs", []), agencies)
    for row in data.get("incentive_rates", []):
        counts["incentive_rates"] += IncentiveRate.objects.get_or_create(
            effective_from=date.fromisoformat(row["effective_from"]),
            defaults={"amount": row["amount"], "legal_basis": row.get("legal_basis", "")},
        )[1]
    office = data.get("office")
    if office and not Office.objects.exists():  # the letterhead, until the office edits it on its settings page
        head = {
            "head_name": getattr(settings, "PILAR_HEAD_OF_OFFICE_NAME", ""),
            "head_nip": getattr(settings, "PILAR_HEAD_OF_OFFICE_NIP", ""),
        }
        Office.objects.create(**(head | {k: v for k, v in office.items() if k in OFFICE_FIELDS}))
        counts["office"] = 1
    region = normalize_code(data["region"])
    # The PackLoad row is the record of what was loaded, when and from where (shown in the admin); no audit
    # entry, since the first load happens inside `migrate`, before anyone acts.
    PackLoad.objects.update_or_create(
        region=region, defaults={"name": data.get("name", region), "source": source[:300], "counts": counts}
    )
    return counts


def load_shipped_pack(region: str) -> dict[str, int]:
    """Load (again: only what is missing is created) the pack Pilar ships for ``region``."""
    path = shipped_pack(region)
    if path is None:
        raise DomainError(f"Pilar tidak membawa paket data untuk wilayah {region}.")
    return load_pack(read_pack(path), source=f"pilar/regional/packs/{path.name}")


def ensure_configured_pack() -> dict[str, int] | None:
    """Load the shipped pack of ``PILAR_REGION`` unless it was loaded before; None when there is nothing to do."""
    region = normalize_code(settings.PILAR_REGION)
    if shipped_pack(region) is None or PackLoad.objects.filter(region=region).exists():
        return None
    return load_shipped_pack(region)
