from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilar.activities import services
from pilar.activities.models import ActivityReport, ReportVisit
from pilar.activities.services import ReportData
from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.notifications.models import Notification
from pilar.registry.models import PpksRecord
from tests.activities.makers import SEPT, case_assigned_to, report_for, submitted
from tests.conftest import KEL_A
from tests.factories import WorkerFactory, region
from tests.registry.makers import propose

pytestmark = pytest.mark.django_db
S = ActivityReport.Status
JKT = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def october(monkeypatch):
    # "Today" is in October 2026, so September is the month just closed.
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


def _proposed_on(record: PpksRecord, day: datetime) -> None:
    PpksRecord.objects.filter(pk=record.pk).update(proposed_at=day)


def test_report_counts_ppks_the_psm_proposed_in_that_month(psm_a, tksk_a):
    found = propose(psm_a, source="psm")
    from_resident = propose(psm_a, source="warga")
    august = propose(psm_a, source="psm")
    by_tksk = propose(tksk_a, source="psm")
    for record in (from_resident, by_tksk):
        _proposed_on(record, datetime(2026, 9, 14, 10, tzinfo=JKT))
    # Months are the office's (Jakarta): half past midnight on 1 September is September, though still August in UTC.
    _proposed_on(found, datetime(2026, 9, 1, 0, 30, tzinfo=JKT))
    _proposed_on(august, datetime(2026, 8, 31, 23, 30, tzinfo=JKT))

    report = report_for(psm_a)

    assert (report.ppks_proposed, report.ppks_found) == (2, 1)
    assert report.status == S.DRAFT
    assert (report.kecamatan.code, report.kelurahan.code) == ("36.71.01", KEL_A)


def test_psm_cannot_report_twice_for_one_month(psm_a):
    report_for(psm_a)
    with pytest.raises(ValidationError) as refused:
        report_for(psm_a, visits=3)
    assert "sudah ada" in refused.value.message_dict["period"][0]
    assert ActivityReport.objects.count() == 1


def test_psm_cannot_report_for_a_month_not_yet_begun(psm_a):
    with pytest.raises(ValidationError) as refused:
        report_for(psm_a, date(2026, 11, 1))
    assert "belum berjalan" in refused.value.message_dict["period"][0]
    assert not ActivityReport.objects.exists()


def test_nobody_writes_a_report_for_another_psm(psm_a, psm_b):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=psm_b, worker=psm_a.worker, period=SEPT, data=ReportData(visits=1))
    assert not ActivityReport.objects.exists()


def test_any_day_of_the_month_names_the_month(psm_a):
    report = services.report_create(actor=psm_a, worker=psm_a.worker, period=date(2026, 9, 23), data=ReportData())
    assert report.period == SEPT


def test_submitting_tells_the_tksk_of_the_kecamatan(psm_a, tksk_a, psm_b):
    report = submitted(psm_a)
    assert report.status == S.SUBMITTED and report.submitted_at is not None
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["tksk.a"]
    assert AuditEntry.objects.filter(action="activities.report.submitted", object_id=str(report.pk)).exists()


def test_tksk_accepts_a_submitted_report_and_the_psm_is_told(psm_a, tksk_a):
    report = services.report_accept(actor=tksk_a, report=submitted(psm_a))
    report.refresh_from_db()
    assert (report.status, report.decided_by) == (S.ACCEPTED, tksk_a)
    assert Notification.objects.filter(recipient=psm_a, kind="activities.report_accepted").exists()
    assert AuditEntry.objects.filter(action="activities.report.accepted", actor=tksk_a).exists()


def test_an_accepted_report_cannot_be_accepted_again_or_edited(psm_a, tksk_a):
    report = services.report_accept(actor=tksk_a, report=submitted(psm_a))
    with pytest.raises(DomainError):
        services.report_accept(actor=tksk_a, report=report)
    with pytest.raises(DomainError):
        services.report_update(actor=psm_a, report=report, data=ReportData(visits=99))
    report.refresh_from_db()
    assert report.visits == 12


def test_tksk_of_another_kecamatan_cannot_check(psm_b, tksk_a):
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=tksk_a, report=submitted(psm_b))


def test_nobody_checks_their_own_report(operator, city):
    # An operator may check every report city-wide, but not one they wrote as a PSM themselves.
    WorkerFactory(region=region(KEL_A), user=operator)
    report = submitted(operator)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=operator, report=report)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_psm_cannot_accept_a_report(psm_a):
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=psm_a, report=submitted(psm_a))


def test_returning_needs_a_reason_and_nothing_changes_without_one(psm_a, tksk_a):
    report = submitted(psm_a)
    with pytest.raises(ValidationError) as refused:
        services.report_return(actor=tksk_a, report=report, reason="  ")
    assert "alasan" in refused.value.message_dict["reason"][0]
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_returned_report_is_corrected_and_submitted_again(psm_a, tksk_a):
    report = services.report_return(actor=tksk_a, report=submitted(psm_a), reason="Foto kunjungan belum ada.")
    assert report.status == S.RETURNED
    assert Notification.objects.get(recipient=psm_a).body == "Foto kunjungan belum ada."
    services.report_update(actor=psm_a, report=report, data=ReportData(visits=14, notes="Foto ditambahkan"))
    report = services.report_submit(actor=psm_a, report=report)
    assert (report.status, report.visits, report.return_reason) == (S.SUBMITTED, 14, "")


def test_listed_visits_must_fall_in_the_report_month_and_raise_the_count(psm_a):
    report = report_for(psm_a, visits=0)
    with pytest.raises(ValidationError):
        services.report_add_visit(actor=psm_a, report=report, date=date(2026, 10, 1), place="Jl. Mawar 3")
    services.report_add_visit(actor=psm_a, report=report, date=date(2026, 9, 2), place="Jl. Mawar 3")
    report.refresh_from_db()
    assert (report.visits, ReportVisit.objects.count()) == (1, 1)
    with pytest.raises(ValidationError) as refused:
        services.report_update(actor=psm_a, report=report, data=ReportData(visits=0))
    assert "lebih kecil" in refused.value.message_dict["visits"][0]


def test_submitted_report_takes_no_more_visits(psm_a):
    report = submitted(psm_a)
    with pytest.raises(DomainError):
        services.report_add_visit(actor=psm_a, report=report, date=date(2026, 9, 2), place="Jl. Mawar 3")


def test_cases_handled_are_the_cases_assigned_to_the_psm_during_the_month(psm_a, psm_b):
    case_assigned_to(psm_a, datetime(2026, 8, 20, 9, tzinfo=JKT))  # still open in September
    case_assigned_to(psm_a, datetime(2026, 9, 3, 9, tzinfo=JKT), closed_at=datetime(2026, 9, 25, 9, tzinfo=JKT))
    case_assigned_to(psm_a, datetime(2026, 7, 1, 9, tzinfo=JKT), closed_at=datetime(2026, 8, 30, 9, tzinfo=JKT))
    case_assigned_to(psm_a, datetime(2026, 10, 1, 9, tzinfo=JKT))  # after September
    case_assigned_to(psm_b, datetime(2026, 9, 3, 9, tzinfo=JKT))  # somebody else's
    # What the PSM types for cases is not used: the case records count.
    assert report_for(psm_a, cases_handled=40).cases_handled == 2
