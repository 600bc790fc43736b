"""Simultaneous requests: one triage wins, and a flood from one address cannot slip past the limit."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pilar.cases.models import Case
from pilar.complaints import guard, services
from pilar.complaints.models import Complaint, SubmissionHit
from pilar.core.errors import DomainError
from pilar.regions.models import Region
from tests.complaints.conftest import make_complaint
from tests.concurrency import at_once
from tests.conftest import KEL_A

pytestmark = [
    pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _race(jobs: list[Callable[[], str]]) -> list[str]:
    refused = (DomainError, ValidationError)
    outcomes = at_once(*jobs, catch=refused)
    return [(getattr(o, "code", "") or "refused") if isinstance(o, refused) else o for o in outcomes]


def test_psm_and_tksk_triaging_at_once_leave_one_decision(psm_a, tksk_a, elderly_category):
    complaint = make_complaint(KEL_A)

    def convert() -> str:
        services.complaint_convert(complaint=complaint, actor=psm_a, category=elderly_category)
        return "converted"

    def close() -> str:
        services.complaint_close(complaint=complaint, actor=tksk_a, reason="bukan_ppks")
        return "closed"

    outcomes = _race([convert, close])
    assert outcomes.count("conflict") == 1
    assert [o for o in outcomes if o != "conflict"] in (["closed"], ["converted"])
    complaint.refresh_from_db()
    assert complaint.status in (Complaint.Status.CONVERTED, Complaint.Status.CLOSED)
    assert Case.objects.count() == (1 if complaint.status == Complaint.Status.CONVERTED else 0)


def test_simultaneous_submissions_from_one_address_stop_at_the_limit(city):
    village = Region.objects.get(code=KEL_A)
    client = guard.client_key(type("R", (), {"META": {"REMOTE_ADDR": "10.5.5.5"}})())

    def submit() -> str:
        data = services.ComplaintData(kelurahan=village, address="Jl. Kenanga", description="Lansia sakit sendirian.")
        services.complaint_submit(data=data, client=client)
        return "saved"

    outcomes = _race([submit] * 8)
    assert outcomes.count("saved") == 5 and outcomes.count("rate_limited") == 3
    assert Complaint.objects.count() == 5 and SubmissionHit.objects.count() == 5
