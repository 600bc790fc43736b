"""Two users acting on one report at the same moment: the row lock and the unique key keep one outcome."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pilar.activities import services
from pilar.activities.models import ActivityReport
from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from tests.activities.makers import report_for, submitted
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls: Callable[[], object]) -> list[str]:
    def told(outcome: object) -> str:
        if isinstance(outcome, DomainError):
            return f"conflict: {outcome.message}"
        return f"invalid: {outcome.messages[0]}" if isinstance(outcome, ValidationError) else "ok"

    return sorted(told(o) for o in at_once(*calls, catch=(DomainError, ValidationError)))


def test_tksk_accepting_while_dinsos_returns_leaves_one_decision(psm_a, tksk_a, operator):
    report = submitted(psm_a)
    outcomes = race(
        lambda: services.report_accept(actor=tksk_a, report=report),
        lambda: services.report_return(actor=operator, report=report, reason="Belum lengkap"),
    )
    assert outcomes[-1] == "ok" and outcomes[0].startswith("conflict")
    report.refresh_from_db()
    assert report.status in (ActivityReport.Status.ACCEPTED, ActivityReport.Status.RETURNED)
    decisions = AuditEntry.objects.filter(action__in=["activities.report.accepted", "activities.report.returned"])
    assert decisions.count() == 1


def test_the_same_month_sent_from_two_phones_at_once_saves_one_report(psm_a):
    outcomes = race(lambda: report_for(psm_a), lambda: report_for(psm_a))
    assert outcomes[-1] == "ok" and "sudah ada" in outcomes[0]
    assert ActivityReport.objects.count() == 1
