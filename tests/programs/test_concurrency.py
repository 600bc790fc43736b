"""Two operators approving at the same moment: the last place of a quota goes to exactly one of them."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from pilar.programs import services
from pilar.programs.models import Enrollment
from tests.factories import user_with_role
from tests.programs.makers import program, proposed, record


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_operators_approving_the_last_place_at_once_leave_exactly_one_approved(psm_a, operator, monkeypatch):
    second_operator = user_with_role("operator.dua", "operator")
    period = services.period_for(program("pkh"), str(date.today().year))
    period.quota = 1
    period.save()
    waiting = [proposed("pkh", record(), psm_a), proposed("pkh", record(), psm_a)]
    barrier = threading.Barrier(2)
    counted = services.quota_taken

    def slow_count(period):
        # Widen the window between counting the places and taking one, so that without the lock both would pass.
        taken = counted(period)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(services, "quota_taken", slow_count)
    outcomes: list[str] = []

    def approve(enrollment: Enrollment, actor) -> None:
        try:
            barrier.wait()
            services.enrollment_approve(enrollment=enrollment, actor=actor)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(e, a)) for e, a in zip(waiting, (operator, second_operator), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("approved") == 1, outcomes
    assert "sudah penuh" in next(o for o in outcomes if o != "approved")
    assert Enrollment.objects.filter(status="disetujui").count() == 1


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_same_family_proposed_twice_at_once_is_enrolled_once(psm_a, tksk_a):
    family = record()
    services.period_for(program("pkh"))  # the period row exists, as it does after the first proposal of a period
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def propose(actor) -> None:
        try:
            barrier.wait()
            services.enrollment_propose(actor=actor, program=program("pkh"), record=family)
            outcomes.append("proposed")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=propose, args=(actor,)) for actor in (psm_a, tksk_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("proposed") == 1, outcomes
    assert "Sudah terdaftar" in next(o for o in outcomes if o != "proposed")
    assert Enrollment.objects.count() == 1
