"""The demo holds the four seed trainings with the participant counts the articles report."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from pilar.accounts.models import User
from pilar.trainings.models import Attendance, Certificate, Event, Participant
from pilar.trainings.selectors import untrained_workers

pytestmark = pytest.mark.django_db(transaction=False)

EXPECTED = {
    date(2018, 3, 27): (836, {"tksk": 13, "psm": 823}),
    date(2023, 3, 16): (987, {"psm": 987}),
    date(2023, 5, 15): (208, {"psm": 208}),
    date(2024, 5, 22): (995, {"tksk": 13, "psm": 982}),
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", password="demo-pilar-2026", stdout=out)
    return out.getvalue()


def test_demo_seeds_the_four_trainings_once(city):
    seed()
    events = {e.start_date: e for e in Event.objects.all()}
    assert set(events) == set(EXPECTED)
    for day, (total, roles) in EXPECTED.items():
        participants = Participant.objects.filter(event=events[day])
        assert participants.count() == total, day
        by_role = {r: participants.filter(role=r).count() for r in roles}
        assert by_role == roles, day
        assert participants.filter(completed=True, attended_sessions=1).count() == total
    assert events[date(2023, 5, 15)].venue == "Gedung Kesenian Kota Tangerang"
    assert "Tangerang Convention Center" in events[date(2024, 5, 22)].venue
    assert Attendance.objects.count() == Certificate.objects.count() == 836 + 987 + 208 + 995
    assert len(set(Certificate.objects.values_list("code", flat=True))) == Certificate.objects.count()
    # Today's PSM who joined after the 2018 capacity building have not had a basic training.
    operator = User.objects.get(username="operator")
    untrained = untrained_workers(operator)
    assert untrained.count() == 189 and set(untrained.values_list("role", flat=True)) == {"psm"}
    assert not untrained.filter(joined_on__lte=date(2018, 3, 27)).exists()
    before = (Event.objects.count(), Participant.objects.count(), Certificate.objects.count())
    output = seed()
    assert (Event.objects.count(), Participant.objects.count(), Certificate.objects.count()) == before
    assert "Pelatihan" in output
