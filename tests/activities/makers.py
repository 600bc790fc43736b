"""Activity test data: reports made through the services, as a PSM would on the phone."""

from datetime import date
from typing import Any

from pilar.activities import services
from pilar.activities.models import ActivityReport
from pilar.activities.services import ReportData

SEPT = date(2026, 9, 1)  # a month before "today" in these tests


def report_for(user: Any, period: date = SEPT, **figures: Any) -> ActivityReport:
    data = ReportData(**({"visits": 12, "cases_handled": 2, "info_relayed": 3} | figures))
    return services.report_create(actor=user, worker=user.worker, period=period, data=data)


def submitted(user: Any, period: date = SEPT, **figures: Any) -> ActivityReport:
    return services.report_submit(actor=user, report=report_for(user, period, **figures))
