from datetime import date

import pytest
from django.db import IntegrityError, transaction

from pilar.activities.models import ActivityReport
from pilar.activities.selectors import accepted_report_worker_ids
from tests.factories import WorkerFactory, region

pytestmark = pytest.mark.django_db


def make_report(worker, period, status=ActivityReport.Status.ACCEPTED, **extra):
    return ActivityReport.objects.create(
        worker=worker, period=period, kecamatan=worker.kecamatan, kelurahan=worker.kelurahan, status=status, **extra
    )


def test_accepted_report_worker_ids_lists_only_accepted_reports_of_that_month(city):
    accepted, submitted, other_month = WorkerFactory(), WorkerFactory(), WorkerFactory(region=region("36.71.03.1001"))
    make_report(accepted, date(2026, 9, 1))
    make_report(submitted, date(2026, 9, 1), ActivityReport.Status.SUBMITTED)
    make_report(other_month, date(2026, 8, 1))

    assert accepted_report_worker_ids(date(2026, 9, 1)) == {accepted.id}
    # Any day of the month names that month.
    assert accepted_report_worker_ids(date(2026, 9, 17)) == {accepted.id}
    assert accepted_report_worker_ids(date(2026, 8, 1)) == {other_month.id}


def test_database_refuses_a_second_report_for_the_same_worker_and_month(city):
    worker = WorkerFactory()
    make_report(worker, date(2026, 9, 1), ActivityReport.Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(worker, date(2026, 9, 1), ActivityReport.Status.DRAFT)


def test_database_refuses_a_returned_report_without_reason(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(WorkerFactory(), date(2026, 9, 1), ActivityReport.Status.RETURNED)
