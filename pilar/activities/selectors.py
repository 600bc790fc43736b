"""Read-only questions about activity reports: for other apps (payroll), the pages and the API."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from pilar.accounts.permissions import Perm
from pilar.activities.models import ActivityReport, RoadshowVisit
from pilar.core.access import get_for_user


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def previous_month(period: date) -> date:
    return date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)


def parse_period(text: str | None) -> date | None:
    """``"2026-09"`` → 1 September 2026; None when empty or not a month."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def accepted_report_worker_ids(period: date) -> set[int]:
    """Ids of the workers whose report for ``period``'s month has been accepted (the payroll condition)."""
    return set(
        ActivityReport.objects.filter(period=month_start(period), status=ActivityReport.Status.ACCEPTED).values_list(
            "worker_id", flat=True
        )
    )


def registry_counts(user: Any, period: date) -> dict[str, int]:
    """PPKS the PSM's account put into the registry during the month: all proposals, and field findings among them.

    Read from the registry rather than typed in, so that the report agrees with the registry.
    """
    from pilar.registry.models import PpksRecord, Source

    if user is None:
        return {"ppks_proposed": 0, "ppks_found": 0}
    start, end = _month_bounds(period)
    rows = PpksRecord.objects.filter(reported_by=user, proposed_at__gte=start, proposed_at__lt=end)
    return {"ppks_proposed": rows.count(), "ppks_found": rows.filter(source=Source.PSM).count()}


def cases_counted() -> bool:
    """Whether the case app is installed, so that "cases handled" is counted rather than typed in."""
    return apps.is_installed("pilar.cases")


def _month_bounds(period: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(period, time.min, tzinfo=tz), datetime.combine(next_month(period), time.min, tzinfo=tz)


def case_assignments_in(period: date):
    """Case assignments the worker held at some time in the month: assigned before it ended, the case not
    closed before it began. Imported lazily: the case app depends on the workforce, not the other way."""
    from pilar.cases.models import CaseAssignment

    start, end = _month_bounds(period)
    return CaseAssignment.objects.filter(assigned_at__lt=end).filter(
        Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=start)
    )


def cases_handled(user: Any, period: date) -> int | None:
    """Cases assigned to the PSM's account during the month; None when cases are not recorded in Pilar."""
    if not cases_counted():
        return None
    if user is None:
        return 0
    return case_assignments_in(period).filter(user=user).values("case_id").distinct().count()


def get_report_for_user(user: Any, pk: int, perm: Perm = Perm.ACTIVITY_VIEW) -> ActivityReport:
    """The report if the user may see it (404 otherwise, as if it did not exist); 403 if seen but ``perm`` missing."""
    return get_for_user(ActivityReport.objects.visible_to(user).listing(), user, pk, perm)


def get_roadshow_for_user(user: Any, pk: int) -> RoadshowVisit:
    return get_for_user(RoadshowVisit.objects.visible_to(user).listing(), user, pk)


@dataclass(frozen=True)
class ReportFilter:
    period: date | None = None
    kecamatan: str = ""
    kelurahan: str = ""
    status: str = ""

    @classmethod
    def from_params(cls, params: Any) -> "ReportFilter":
        status = params.get("status", "")
        return cls(
            period=parse_period(params.get("period")),
            kecamatan=params.get("kecamatan", "").strip(),
            kelurahan=params.get("kelurahan", "").strip(),
            status=status if status in ActivityReport.Status.values else "",
        )

    @property
    def period_text(self) -> str:
        return f"{self.period:%Y-%m}" if self.period else ""


def report_list(user: Any, filters: ReportFilter):
    qs = ActivityReport.objects.visible_to(user).filter_area(kecamatan=filters.kecamatan, kelurahan=filters.kelurahan)
    if filters.period:
        qs = qs.for_period(filters.period)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.listing().order_by(
        "-period", "kecamatan__code", "kelurahan__code", "worker__person__name_normalized", "id"
    )
