"""Two operators approving at the same moment: the last place of a quota goes to exactly one of them."""

import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pilar.programs import services
from pilar.programs.models import Enrollment
from tests.concurrency import at_once
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
    counted = services.quota_taken

    def slow_count(period):
        # Widen the window between counting the places and taking one, so that without the lock both would pass.
        taken = counted(period)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(services, "quota_taken", slow_count)
    results = at_once(
        *(
            lambda e=e, a=a: services.enrollment_approve(enrollment=e, actor=a)
            for e, a in zip(waiting, (operator, second_operator), strict=True)
        ),
        catch=(ValidationError,),
    )
    outcomes = [r.messages[0] if isinstance(r, ValidationError) else "approved" for r in results]
    assert outcomes.count("approved") == 1, outcomes
    assert "sudah penuh" in next(o for o in outcomes if o != "approved")
    assert Enrollment.objects.filter(status="disetujui").count() == 1


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_same_family_proposed_twice_at_once_is_enrolled_once(psm_a, tksk_a):
    family = record()
    services.period_for(program("pkh"))  # the period row exists, as it does after the first proposal of a period
    results = at_once(
        *(
            lambda a=a: services.enrollment_propose(actor=a, program=program("pkh"), record=family)
            for a in (psm_a, tksk_a)
        ),
        catch=(ValidationError,),
    )
    outcomes = [r.messages[0] if isinstance(r, ValidationError) else "proposed" for r in results]
    assert outcomes.count("proposed") == 1, outcomes
    assert "Sudah terdaftar" in next(o for o in outcomes if o != "proposed")
    assert Enrollment.objects.count() == 1
