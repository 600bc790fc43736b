"""The demo registry: realistic size, every PPKS kind, every verval state with a matching timeline."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from pilar.identity.models import Person
from pilar.registry.models import Household, PpksEvent, PpksRecord, PpksStatus


@pytest.mark.django_db
def test_demo_registry_has_every_category_and_state_with_consistent_timelines():
    call_command("seed_demo", password="demo-pilar-2026", stdout=StringIO())
    assert 18_000 <= Person.objects.filter(worker__isnull=True).count() <= 25_000
    assert Household.objects.count() == 5600
    assert PpksRecord.objects.filter(category__kind="ppks").values("category").distinct().count() == 26
    assert PpksRecord.objects.filter(category__code="RTLH").count() >= 900  # one household in six
    assert set(PpksRecord.objects.values_list("status", flat=True).distinct()) == set(PpksStatus.values)
    # The last step of every record's timeline ends in the record's status.
    last = {}
    for record_id, to_status in PpksEvent.objects.order_by("record_id", "at", "id").values_list(
        "record_id", "to_status"
    ):
        last[record_id] = to_status
    assert all(last[pk] == status for pk, status in PpksRecord.objects.values_list("pk", "status"))
    # Nobody verified or validated their own proposal.
    assert not PpksRecord.objects.filter(verified_by=F("reported_by")).exists()
    validated = PpksRecord.objects.filter(status__in=["ditetapkan", "keluar"])
    assert validated.filter(validated_by__isnull=True).count() == 0
    assert Household.objects.annotate(n=Count("members")).filter(n=0).count() == 0
