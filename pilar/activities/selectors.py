"""Read-only questions other apps ask about activity reports."""

from datetime import date

from pilar.activities.models import ActivityReport


def month_start(day: date) -> date:
    return day.replace(day=1)


def accepted_report_worker_ids(period: date) -> set[int]:
    """Ids of the workers whose report for ``period``'s month has been accepted (the payroll condition)."""
    return set(
        ActivityReport.objects.filter(period=month_start(period), status=ActivityReport.Status.ACCEPTED).values_list(
            "worker_id", flat=True
        )
    )
