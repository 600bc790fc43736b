from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pilar.activities.demo import seed_activities
from pilar.activities.models import ActivityReport, RoadshowVisit
from pilar.activities.recap import coverage
from pilar.activities.selectors import cases_handled, registry_counts
from pilar.registry.models import PpksRecord
from tests.activities.makers import case_assigned_to
from tests.conftest import KEC_A, KEL_A2
from tests.factories import WorkerFactory, psm_user, region
from tests.registry.makers import propose

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_demo_reports_three_closed_months_with_registry_counts_and_is_idempotent(psm_a, tksk_a):
    others = [WorkerFactory(region=region(KEL_A2)) for _ in range(30)]
    record = propose(psm_a, source="psm")
    in_september = datetime(2026, 9, 9, 10, tzinfo=ZoneInfo("Asia/Jakarta"))
    PpksRecord.objects.filter(pk=record.pk).update(proposed_at=in_september)
    case_assigned_to(psm_a, in_september)

    created = seed_activities(tksk_by_kecamatan={region(KEC_A).pk: tksk_a}, today=TODAY)

    periods = set(ActivityReport.objects.values_list("period", flat=True))
    assert periods == {date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)}
    statuses = set(ActivityReport.objects.values_list("status", flat=True))
    assert {"diterima", "diajukan"} <= statuses
    # Most PSM report; some months are missing for some of them.
    assert 0.75 * 3 * len(others) < ActivityReport.objects.count() < 3 * (len(others) + 1)
    # The PPKS counts agree with the registry, report by report.
    own = ActivityReport.objects.filter(worker=psm_a.worker)
    assert own.filter(period=date(2026, 9, 1)).exists()
    for report in own:
        assert {"ppks_proposed": report.ppks_proposed, "ppks_found": report.ppks_found} == registry_counts(
            psm_a, report.period
        )
        assert report.cases_handled == cases_handled(psm_a, report.period)
    september = own.get(period=date(2026, 9, 1))
    assert (september.ppks_found, september.cases_handled) == (1, 1)
    assert not ActivityReport.objects.filter(status="diterima", decided_by__isnull=True).exists()
    assert created["kunjungan roadshow"] == 104 + 13

    assert seed_activities(tksk_by_kecamatan={}, today=TODAY) == {}
    assert RoadshowVisit.objects.count() == 117


def test_demo_roadshow_covers_every_kelurahan_and_is_partly_done(city):
    seed_activities(tksk_by_kecamatan={}, today=TODAY)
    rows = coverage()
    assert sum(r.visited + r.planned for r in rows) == 104  # every kelurahan has a stop
    assert 0 < sum(r.visited for r in rows) < 104
    assert not RoadshowVisit.objects.filter(status="selesai", done_date__gt=TODAY).exists()


def test_demo_reports_only_psm_who_had_joined_by_then(city):
    late = psm_user("psm.late", KEL_A2).worker
    type(late).objects.filter(pk=late.pk).update(joined_on=date(2026, 10, 15))
    seed_activities(tksk_by_kecamatan={}, today=TODAY)
    assert not ActivityReport.objects.filter(worker=late).exists()
