"""Activity test data: reports made through the services, as a PSM would on the phone."""

from datetime import date, datetime
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


def case_assigned_to(user: Any, assigned_at: datetime, closed_at: datetime | None = None) -> Any:
    """A case in the user's kelurahan, assigned to them at ``assigned_at`` (closed at ``closed_at``)."""
    from pilar.cases.models import Case, CaseAssignment, Outcome, Stage

    worker = user.worker
    case = Case.objects.create(
        subject_name="Bapak Rahmat",
        source=Case.Source.PSM_FINDING,
        kecamatan=worker.kecamatan,
        kelurahan=worker.kelurahan,
        summary="Lansia tinggal sendiri",
        stage_started_at=assigned_at,
        stage=Stage.CLOSED if closed_at else Stage.INTAKE,
        outcome=Outcome.RESOLVED if closed_at else "",
        closed_at=closed_at,
    )
    CaseAssignment.objects.create(case=case, user=user, assigned_at=assigned_at)
    return case
