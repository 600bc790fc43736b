"""Two operators acting at the same moment: the database keeps the rules the checks enforce."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.workers import services
from pilar.workers.models import Worker
from tests.concurrency import at_once
from tests.conftest import KEC_A
from tests.factories import region


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_tksk_for_one_kecamatan_leave_exactly_one(operator):
    def register(serial: int) -> Callable[[], object]:
        born = date(1980, 1, serial)
        person = services.PersonInput(
            nik=make_nik(kecamatan_code=KEC_A, birth_date=born, sex="L", serial=serial),
            name=f"Calon TKSK {serial}",
            sex="L",
            birth_date=born,
        )
        return lambda: services.worker_create(
            actor=operator, person=person, role="tksk", region=region(KEC_A), start_date=date(2024, 1, 2)
        )

    results = at_once(register(1), register(2), catch=(ValidationError,))
    outcomes = [r.message_dict["region"][0] if isinstance(r, ValidationError) else "saved" for r in results]
    assert sorted(outcomes)[-1] == "saved" and outcomes.count("saved") == 1
    assert "TKSK aktif" in next(o for o in outcomes if o != "saved")
    assert Worker.objects.tksk().filter(kecamatan__code=KEC_A).count() == 1
    assert Person.objects.count() == 1  # the loser's person row went with its transaction
