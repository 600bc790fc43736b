"""Two generations of the same month at the same moment end as one run (PostgreSQL: real concurrent sessions)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from pilar.incentives import services
from pilar.incentives.models import PayrollLine, PayrollRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs two sessions")
def test_concurrent_generations_of_a_month_end_as_one_run(operator, admin_user, make_psm):
    for _ in range(3):
        make_psm()
    barrier, errors = threading.Barrier(2), []

    def generate(user):
        try:
            barrier.wait()
            services.payroll_generate(period=date(2026, 6, 1), actor=user)
        except Exception as exc:  # noqa: BLE001 - reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate, args=(u,)) for u in (operator, admin_user)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    run = PayrollRun.objects.get()
    assert run.line_count == PayrollLine.objects.count() == 3
