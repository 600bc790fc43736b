"""Two operators inviting at once, and two markers on one list: the locks keep capacity and counts right."""

import pytest
from django.db import connection

from pilar.core.errors import DomainError
from pilar.regions.models import Region
from pilar.trainings import attendance, services
from pilar.trainings.models import Participant
from pilar.trainings.services import Target
from tests.concurrency import at_once
from tests.conftest import KEC_A, KEC_B
from tests.factories import WorkerFactory, region
from tests.trainings.conftest import make_event

pytestmark = [
    pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*actions) -> list[str]:
    return [o.code if isinstance(o, DomainError) else "ok" for o in at_once(*actions, catch=(DomainError,))]


def test_two_invitations_at_once_never_overfill_the_event(operator, city):
    for code in ("36.71.01.1001", "36.71.03.1001"):
        for _i in range(3):
            WorkerFactory(region=region(code))
    event = make_event(operator, capacity=4)
    outcomes = run_together(
        *[
            (
                lambda kec=kec: services.participants_invite(
                    event=event, actor=operator, target=Target.PSM_KECAMATAN, region=Region.objects.get(code=kec)
                )
            )
            for kec in (KEC_A, KEC_B)
        ]
    )
    assert sorted(outcomes) == ["capacity", "ok"]
    assert Participant.objects.filter(event=event).count() == 3


def test_two_markers_on_one_list_leave_the_right_counts(operator, city):
    for _i in range(20):
        WorkerFactory(region=region("36.71.01.1001"))
    event = make_event(operator)
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    session = event.sessions.get()
    ids = sorted(Participant.objects.filter(event=event).values_list("pk", flat=True))
    outcomes = run_together(
        lambda: attendance.attendance_mark(session=session, actor=operator, present=ids[:15]),
        lambda: attendance.attendance_mark(session=session, actor=operator, present=ids[5:]),
    )
    assert outcomes == ["ok", "ok"]
    assert session.attendances.count() == 20
    assert Participant.objects.filter(event=event, attended_sessions=1, completed=True).count() == 20
