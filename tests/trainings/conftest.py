"""Training fixtures: an event of today run by the operator, and PSM of Batuceper (kecamatan B) to invite."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pilar.trainings import services
from pilar.trainings.models import EventKind
from pilar.workers.models import WorkerRole, WorkerStatus
from tests.conftest import KEC_B, KEL_A2
from tests.factories import UserFactory, WorkerFactory, region

BATUCEPER_KELURAHAN = ["36.71.03.1001", "36.71.03.1002", "36.71.03.1003"]


def make_event(operator, *, days: int = 1, start: date | None = None, **fields):
    start = start or timezone.localdate()
    values = {
        "kind": EventKind.BIMTEK,
        "title": "Bimtek Penanganan Kasus Sosial",
        "start_date": start,
        "end_date": start + timedelta(days=days - 1),
        "venue": "Gedung Kesenian Kota Tangerang",
        "organiser": "Dinas Sosial Kota Tangerang",
        "speakers": "Pusdiklatbangprof Kemensos RI\nDirektorat Dayamas Kemensos RI",
        "topics": "Prosedur penanganan kasus\nKoordinasi lintas sektor",
        "target_group": "PSM",
        "capacity": None,
        "completion_percent": 100,
        "signatory_name": "",
        "signatory_nip": "",
    } | fields
    return services.event_create(actor=operator, **values)


@pytest.fixture
def event(operator):
    return make_event(operator)


@pytest.fixture
def batuceper_psm(city):
    """Five active PSM of Kecamatan Batuceper (three kelurahan), one stopped, and one with a login."""
    workers = [WorkerFactory(region=region(BATUCEPER_KELURAHAN[i % 3])) for i in range(5)]
    WorkerFactory(region=region(BATUCEPER_KELURAHAN[0]), status=WorkerStatus.STOPPED)
    return workers


@pytest.fixture
def tksk_workers(city):
    return [WorkerFactory(region=region(KEC_B), role=WorkerRole.TKSK)]


@pytest.fixture
def psm_a2(city):
    """A PSM of kelurahan A2 (same kecamatan as A), with a login."""
    user = UserFactory(username="psm.a2")
    from pilar.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.PSM, region=region(KEL_A2), valid_from=date(2020, 1, 1))
    WorkerFactory(region=region(KEL_A2), user=user)
    return user
