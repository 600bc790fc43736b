"""Default reference data for cases: stage targets and risk factors (loaded by a data migration)."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet

if TYPE_CHECKING:
    from pilar.cases.models import RiskFactor

# Days a case may stay in each open stage before it is overdue; the office edits them in the admin.
DEFAULT_STAGE_DAYS: dict[str, int] = {
    "intake": 3,
    "asesmen": 7,
    "rencana": 7,
    "intervensi": 30,
    "monitoring": 30,
}

# (code, name, weight). The weights follow the office's triage: danger to life or body first, then
# the people least able to protect themselves, then lack of basic needs and support.
DEFAULT_RISK_FACTORS: list[tuple[str, str, int]] = [
    ("kekerasan", "Ada kekerasan, eksploitasi atau ancaman keselamatan", 6),
    ("kesehatan", "Sakit berat atau gangguan jiwa tanpa perawatan", 4),
    ("rentan", "Anak, lansia atau penyandang disabilitas tanpa pendamping", 4),
    ("tempat_tinggal", "Tidak punya tempat tinggal atau rumah tidak layak huni", 3),
    ("kebutuhan_dasar", "Kebutuhan dasar (makan, air bersih) tidak terpenuhi", 3),
    ("tanpa_dukungan", "Tidak ada keluarga atau pendukung", 2),
    ("adminduk", "Tidak punya dokumen kependudukan (NIK/KK)", 1),
]

# Lowest score of each level, highest first: one life-threatening factor alone is already "tinggi";
# it with a second serious one is "kritis".
RISK_THRESHOLDS: list[tuple[int, str]] = [(10, "kritis"), (6, "tinggi"), (3, "sedang"), (0, "rendah")]


def level_for(score: int) -> str:
    return next(level for lowest, level in RISK_THRESHOLDS if score >= lowest)


def stage_days() -> dict[str, int]:
    """The configured targets, the defaults filling in a stage the table lacks (e.g. after a test flush)."""
    from pilar.cases.models import StageTarget

    return DEFAULT_STAGE_DAYS | dict(StageTarget.objects.values_list("stage", "days"))


def stage_limits() -> dict[str, timedelta]:
    return {stage: timedelta(days=days) for stage, days in stage_days().items()}


def risk_factors() -> "QuerySet[RiskFactor]":
    """The active factors. An empty table (a database flushed by tests, or emptied by hand) gets the defaults
    back, like the migration loads them: an assessment without any factor would score every case "rendah"."""
    from pilar.cases.models import RiskFactor, StageTarget

    if not RiskFactor.objects.exists():
        load_defaults(StageTarget, RiskFactor)
    return RiskFactor.objects.filter(is_active=True)


def load_defaults(stage_target_model, risk_factor_model) -> None:
    """Create the missing defaults, leaving edited rows alone; takes the models so migrations can pass theirs."""
    for stage, days in DEFAULT_STAGE_DAYS.items():
        stage_target_model.objects.get_or_create(stage=stage, defaults={"days": days})
    for order, (code, name, weight) in enumerate(DEFAULT_RISK_FACTORS, start=1):
        risk_factor_model.objects.get_or_create(code=code, defaults={"name": name, "weight": weight, "order": order})
