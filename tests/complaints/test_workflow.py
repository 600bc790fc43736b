"""The complaint's declaration drives the triage forms, the guard of both services and the refusals."""

import pytest
from django.urls import reverse

from pilar.complaints import services
from pilar.complaints.models import Complaint
from pilar.core.workflow import Refused
from tests.complaints.conftest import make_complaint
from tests.conftest import KEL_A


def test_a_new_complaint_offers_both_triage_steps_with_its_category_preset(city, client, psm_a, elderly_category):
    complaint = make_complaint(KEL_A, category=elderly_category)
    client.force_login(psm_a)
    steps = client.get(reverse("complaints:detail", args=[complaint.pk])).context["steps"]
    assert [item.step.name for item in steps] == ["convert", "close"]
    assert steps[0].form.initial == {"category": elderly_category.code}
    assert steps[1].action == reverse("complaints:close", args=[complaint.pk])


def test_a_triaged_complaint_offers_no_step(city, client, psm_a):
    complaint = make_complaint(KEL_A)
    services.complaint_close(complaint=complaint, actor=psm_a, reason="bukan_ppks")
    client.force_login(psm_a)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).context["steps"] == []


def test_the_close_service_refuses_a_complaint_already_triaged(city, psm_a, tksk_a):
    complaint = make_complaint(KEL_A)
    services.complaint_close(complaint=complaint, actor=psm_a, reason="tidak_ditemukan")
    with pytest.raises(Refused) as refused:
        services.complaint_close(complaint=complaint, actor=tksk_a, reason="bukan_ppks")
    assert refused.value.status == 409 and refused.value.message == "Pengaduan ini sudah ditinjau."
    assert Complaint.objects.get().close_reason == "tidak_ditemukan"


def test_the_convert_service_refuses_a_worker_of_another_area(city, psm_b, elderly_category):
    complaint = make_complaint(KEL_A)
    with pytest.raises(Refused) as refused:
        services.complaint_convert(complaint=complaint, actor=psm_b, category=elderly_category)
    assert refused.value.status == 403
    assert Complaint.objects.get().status == Complaint.Status.NEW


def test_the_api_refusal_of_a_triaged_complaint_keeps_its_shape(city, api_as, psm_a):
    complaint = make_complaint(KEL_A)
    services.complaint_close(complaint=complaint, actor=psm_a, reason="bukan_ppks")
    answer = api_as(psm_a).post(
        f"/api/v1/complaints/{complaint.pk}/close", {"reason": "bukan_ppks"}, content_type="application/json"
    )
    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "Pengaduan ini sudah ditinjau.",
        "errors": {"status": ["Pengaduan ini sudah ditinjau."]},
    }
