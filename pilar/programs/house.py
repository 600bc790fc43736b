"""The Bedah Rumah house checklist: a fixed schema, and the rule that says whether a house is uninhabitable.

The components and the 7.2 m² per occupant floor space follow the criteria used for rumah tidak layak huni
(Permen PUPR on housing assistance and Kemensos' Rutilahu): a house is RTLH when a load-bearing part (structure,
roof, walls, floor) is badly damaged, when damage adds up across components, or when it is too crowded.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COMPONENTS: dict[str, Any] = {
    "structure": gettext_lazy("Struktur dan pondasi"),
    "roof": gettext_lazy("Atap"),
    "walls": gettext_lazy("Dinding"),
    "floor": gettext_lazy("Lantai"),
    "sanitation": gettext_lazy("Jamban dan sanitasi"),
    "water": gettext_lazy("Sumber air bersih"),
    "light_air": gettext_lazy("Pencahayaan dan ventilasi"),
    "electricity": gettext_lazy("Listrik"),
}
LOAD_BEARING = ("structure", "roof", "walls", "floor")
CONDITIONS: dict[str, Any] = {
    "baik": gettext_lazy("Baik"),
    "rusak_ringan": gettext_lazy("Rusak ringan"),
    "rusak_berat": gettext_lazy("Rusak berat / tidak ada"),
}
WEIGHT = {"baik": 0, "rusak_ringan": 1, "rusak_berat": 2}
SCORE_THRESHOLD = 6  # e.g. six components slightly damaged, or three badly
MIN_AREA_PER_OCCUPANT = Decimal("7.2")  # m²


@dataclass(frozen=True)
class Verdict:
    score: int
    is_rtlh: bool
    reasons: list[str]


def validate_checklist(checklist: Any) -> dict[str, str]:
    """The checklist with every component rated once; ``ValidationError`` naming every gap otherwise."""
    if not isinstance(checklist, dict):
        raise ValidationError({"checklist": [_("Daftar kondisi rumah wajib diisi.")]})
    errors = []
    unknown = sorted(set(checklist) - set(COMPONENTS))
    if unknown:
        errors.append(_("Komponen tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)})
    for key, label in COMPONENTS.items():
        if checklist.get(key) not in CONDITIONS:
            errors.append(_("Kondisi %(part)s wajib dipilih (baik, rusak ringan, atau rusak berat).") % {"part": label})
    if errors:
        raise ValidationError({"checklist": errors})
    return {key: checklist[key] for key in COMPONENTS}


def judge(checklist: dict[str, str], *, floor_area: Decimal, occupants: int) -> Verdict:
    score = sum(WEIGHT[checklist[key]] for key in COMPONENTS)
    reasons = [
        _("%(part)s rusak berat.") % {"part": COMPONENTS[key]}
        for key in LOAD_BEARING
        if checklist[key] == "rusak_berat"
    ]
    if score >= SCORE_THRESHOLD:
        reasons.append(_("Skor kerusakan %(score)s (batas %(limit)s).") % {"score": score, "limit": SCORE_THRESHOLD})
    per_occupant = floor_area / occupants
    if per_occupant < MIN_AREA_PER_OCCUPANT:
        reasons.append(
            _("Luas %(area)s m² per penghuni, kurang dari %(min)s m².")
            % {"area": per_occupant.quantize(Decimal("0.1")), "min": MIN_AREA_PER_OCCUPANT}
        )
    return Verdict(score=score, is_rtlh=bool(reasons), reasons=reasons)
