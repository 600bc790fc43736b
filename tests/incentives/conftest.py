"""Payroll fixtures: PSM with a known service history, made through the workforce's own models."""

from datetime import date

import pytest

from pilar.identity.models import Person
from pilar.regional.loader import load_shipped_pack
from pilar.workers.models import Assignment, StatusChange, Worker, WorkerRole, WorkerStatus
from tests.conftest import KEL_A
from tests.factories import PersonFactory, WorkerFactory, region


@pytest.fixture(autouse=True)
def default_rates(db):
    """The schedule of the data migration, back after a transactional test elsewhere emptied the database."""
    load_shipped_pack("36.71")


@pytest.fixture
def make_psm(city):
    """``make_psm(joined_on=..., left_on=None, kelurahan=KEL_A, account="0012...")``: one PSM and its history."""

    def make(*, joined_on=date(2019, 1, 1), left_on=None, kelurahan=KEL_A, account=None, user=None):
        worker = WorkerFactory(region=region(kelurahan), joined_on=joined_on, status_date=joined_on, user=user)
        if account is not None:
            Worker.objects.filter(pk=worker.pk).update(account_number=account)
        StatusChange.objects.create(worker=worker, status=WorkerStatus.ACTIVE, date=joined_on)
        if left_on:
            Worker.objects.filter(pk=worker.pk).update(status=WorkerStatus.STOPPED, status_date=left_on)
            Assignment.objects.filter(worker=worker).update(end_date=left_on)
            StatusChange.objects.create(
                worker=worker, status=WorkerStatus.STOPPED, date=left_on, reason="mengundurkan diri"
            )
        worker.refresh_from_db()
        return worker

    return make


def bulk_psm(count: int, *, kelurahan: str = KEL_A, joined_on: date = date(2020, 1, 1)) -> list[Worker]:
    """``count`` active PSM in a few inserts (persons, workers, postings), for the budget and scale tests."""
    village = region(kelurahan)
    persons = Person.objects.bulk_create(
        [PersonFactory.build(village=village, nik=None) for _ in range(count)], batch_size=1000
    )
    workers = Worker.objects.bulk_create(
        [
            Worker(
                person=p,
                role=WorkerRole.PSM,
                status=WorkerStatus.ACTIVE,
                status_date=joined_on,
                joined_on=joined_on,
                kecamatan_id=village.parent_id,
                kelurahan=village,
                bank_name="Bank BJB",
                account_number=f"77{i:08d}",
                account_holder=p.name,
            )
            for i, p in enumerate(persons)
        ],
        batch_size=1000,
    )
    Assignment.objects.bulk_create(
        [Assignment(worker=w, role=WorkerRole.PSM, region=village, start_date=joined_on) for w in workers],
        batch_size=1000,
    )
    return workers
