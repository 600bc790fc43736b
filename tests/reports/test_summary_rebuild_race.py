"""The first pages after an install or a restore ask for the summary tables together: two requests then build
them at the same moment, and neither may fail (a 500 on /registri/mutu/ under load, "could not serialize access
due to concurrent update")."""

import dataclasses
import threading

import pytest
from django.db import connection

from pilar.stats import quality as stats_quality
from pilar.stats import tally
from pilar.stats.models import QualityState, QualityTally, TallyState
from tests.concurrency import at_once
from tests.registry.makers import propose


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("upkeep", [stats_quality.QUALITY, tally.TALLY], ids=["quality", "dashboard"])
def test_two_requests_building_the_summary_tables_at_once_both_get_them(psm_a, upkeep):
    for _ in range(3):
        propose(psm_a)
    upkeep.state.objects.all().delete()  # never built, as after an install
    counted = threading.Event()

    def counting_slowly():
        # The first request has taken its snapshot and counted; the second builds and commits before it writes.
        rows = upkeep.count()
        counted.set()
        second_done.wait(timeout=10)
        return rows

    second_done = threading.Event()
    slow = dataclasses.replace(upkeep, count=counting_slowly)

    def second():
        counted.wait(timeout=10)
        try:
            return upkeep.catch_up()
        finally:
            second_done.set()

    first_state, second_state = at_once(slow.catch_up, second)
    assert not isinstance(first_state, Exception), first_state
    assert not isinstance(second_state, Exception), second_state
    assert first_state.rebuilt_at is not None and second_state.rebuilt_at is not None
    assert upkeep.state.objects.count() == 1
    if upkeep is stats_quality.QUALITY:
        assert sum(QualityTally.objects.values_list("count", flat=True)) == 3
        assert QualityState.objects.get().rebuilt_at is not None
    else:
        assert TallyState.objects.get().rebuilt_at is not None
