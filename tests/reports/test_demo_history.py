"""The demo's three years of history (closed cases, program deliveries) and its archived monthly reports."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from pilar.cases.demo import seed_case_history
from pilar.cases.models import Case
from pilar.programs.demo import seed_program_history
from pilar.programs.models import Enrollment, Program
from pilar.regional.loader import load_shipped_pack
from pilar.registry.models import PpksRecord
from pilar.reports.demo import seed_reports
from pilar.reports.models import ReportKind, ReportSnapshot
from tests.conftest import KEL_A, KEL_B
from tests.programs.makers import CHILD, record

pytestmark = pytest.mark.django_db


def months(values) -> set[str]:
    return {f"{timezone.localtime(v):%Y-%m}" if hasattr(v, "tzinfo") and v.tzinfo else f"{v:%Y-%m}" for v in values}


def test_case_history_opens_and_closes_cases_in_each_of_36_months_once(psm_a, psm_b, operator):
    villages = {psm_a.role_assignments.get().region_id: psm_a, psm_b.role_assignments.get().region_id: psm_b}
    with transaction.atomic():
        made = seed_case_history(psm_by_village=villages, operator=operator)
    cases = Case.objects.all()
    assert made["kasus (riwayat 36 bulan)"] == cases.count() >= 36 * 5
    assert len(months(cases.values_list("created_at", flat=True))) == 36
    assert not cases.filter(closed_at__isnull=True).exists()
    assert not cases.filter(closed_at__lt=timezone.now() - timedelta(days=3 * 366 + 80)).exists()
    with transaction.atomic():
        assert seed_case_history(psm_by_village=villages, operator=operator) == {}


def test_program_history_delivers_each_month_to_records_validated_before(city, operator):
    if not Program.objects.exists():
        load_shipped_pack("36.71")
    for code in (KEL_A, KEL_B):
        for _ in range(4):
            record(kelurahan=code)
            record(CHILD, kelurahan=code)
    PpksRecord.objects.update(validated_at=timezone.now() - timedelta(days=4 * 365))
    today = timezone.localdate()
    with transaction.atomic():
        made = seed_program_history(operator=operator, today=today)
    delivered = Enrollment.objects.filter(delivered_on__isnull=False)
    assert made["penyaluran program (riwayat 36 bulan)"] == delivered.count() > 36
    # A handful of subjects here, each once per program and year: most months get a delivery (all of them in
    # the demo, with its thousands of records).
    assert len(months(delivered.values_list("delivered_on", flat=True))) >= 30
    assert not delivered.filter(delivered_on__gte=today.replace(day=1)).exists()
    with transaction.atomic():
        assert seed_program_history(operator=operator, today=today) == {}


def test_the_demo_archive_holds_every_report_of_the_last_three_months_once(city):
    today = timezone.localdate()
    with transaction.atomic():
        assert seed_reports(today=today)["laporan resmi"] == 3 * len(ReportKind)
        assert seed_reports(today=today) == {}
    periods = set(ReportSnapshot.objects.values_list("period", flat=True))
    assert len(periods) == 3 and f"{today:%Y-%m}" not in periods
    assert not ReportSnapshot.objects.filter(automatic=False).exists()
