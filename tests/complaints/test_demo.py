"""The demo complaints: every status present, conversions made through the services, idempotent."""

import pytest
from django.utils import timezone

from pilar.complaints.demo import COUNT, complaint_totals, seed_complaints
from pilar.complaints.models import Complaint
from tests.conftest import KEC_A, KEL_A, KEL_A2, KEL_B
from tests.factories import psm_user, region, user_with_role

pytestmark = pytest.mark.django_db


def test_demo_complaints_cover_every_status_and_run_once(city):
    psms = {region(code).pk: psm_user(f"psm.{code}", code) for code in (KEL_A, KEL_A2, KEL_B)}
    tksk = {region(KEC_A).pk: user_with_role("tksk.demo", "tksk", region_code=KEC_A)}
    created = seed_complaints(psm_by_village=psms, tksk_by_kecamatan=tksk, today=timezone.localdate())
    assert created["pengaduan"] == COUNT
    totals = complaint_totals()
    assert totals["Pengaduan masyarakat"] == COUNT
    assert all(totals[key] > 0 for key in ("  menunggu ditinjau", "  dijadikan kasus", "  ditutup"))
    # The demo's PSM login (first kelurahan) has one complaint waiting and one made into a case.
    first = set(Complaint.objects.filter(kelurahan__code=KEL_A).values_list("status", flat=True))
    assert {Complaint.Status.NEW, Complaint.Status.CONVERTED} <= first
    for complaint in Complaint.objects.filter(status=Complaint.Status.CONVERTED).select_related("case"):
        assert complaint.case.kelurahan_id == complaint.kelurahan_id
    assert not seed_complaints(psm_by_village=psms, tksk_by_kecamatan=tksk, today=timezone.localdate())
    assert Complaint.objects.count() == COUNT
