"""Demo: the archive holds the official reports of the last three months, as the task worker would have made them."""

from collections import Counter
from datetime import date

from pilar.reports.filters import Period, add_months
from pilar.reports.models import ReportKind, ReportSnapshot
from pilar.reports.services import report_generate

MONTHS = 3


def seed_reports(*, today: date) -> Counter:
    """Every kind for each of the last three whole months, made once (automatic: one per kind and period)."""
    created: Counter = Counter()
    done = set(ReportSnapshot.objects.filter(automatic=True).values_list("kind", "period"))
    for back in range(MONTHS, 0, -1):
        month = add_months(today.replace(day=1), -back)
        period = Period(month, month, f"{month:%Y-%m}")
        for kind in ReportKind:
            if (kind.value, period.code) not in done:
                report_generate(kind=kind, period=period, actor=None, automatic=True)
                created["laporan resmi"] += 1
    return created


def report_totals() -> dict[str, int]:
    return {"Laporan resmi di arsip": ReportSnapshot.objects.count()}
