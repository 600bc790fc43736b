"""The demo payroll: three approved months by two different users, a draft for this month; idempotent."""

from datetime import date

import pytest

from pilar.incentives.demo import incentive_totals, seed_incentives
from pilar.incentives.models import PayrollRun

pytestmark = pytest.mark.django_db


def test_demo_runs_are_approved_by_a_second_user_and_a_second_seed_creates_nothing(operator, admin_user, make_psm):
    for _ in range(3):
        make_psm()
    created = seed_incentives(today=date(2026, 11, 23))
    assert created == {"penggajian insentif": 4, "baris penggajian": 12}
    runs = {r.period: r for r in PayrollRun.objects.all()}
    assert sorted(runs) == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    for month in (8, 9, 10):
        run = runs[date(2026, month, 1)]
        assert (run.status, run.generated_by, run.approved_by) == ("disetujui", operator, admin_user)
    assert runs[date(2026, 11, 1)].status == "draf"
    assert seed_incentives(today=date(2026, 11, 23)) == {"penggajian insentif": 0, "baris penggajian": 0}
    assert incentive_totals() == {
        "Penggajian insentif disetujui": 3,
        "Penggajian insentif draf": 1,
        "Baris penggajian": 12,
    }
