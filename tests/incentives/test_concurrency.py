"""Two generations of the same month at the same moment end as one run (PostgreSQL: real concurrent sessions)."""

from datetime import date

import pytest
from django.db import connection

from pilar.incentives import services
from pilar.incentives.models import PayrollLine, PayrollRun
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs two sessions")
def test_concurrent_generations_of_a_month_end_as_one_run(operator, admin_user, make_psm):
    for _ in range(3):
        make_psm()
    results = at_once(
        *(lambda u=u: services.payroll_generate(period=date(2026, 6, 1), actor=u) for u in (operator, admin_user))
    )
    errors = [r for r in results if isinstance(r, Exception)]  # a thread must not fail silently
    assert errors == []
    run = PayrollRun.objects.get()
    assert run.line_count == PayrollLine.objects.count() == 3
