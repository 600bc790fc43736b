"""The staff side: each area sees its own queue, triage turns a complaint into a case or closes it."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.cases.models import Case
from pilar.cases.services import case_close
from pilar.complaints.models import Complaint
from pilar.complaints.services import complaint_convert
from tests.complaints.conftest import make_complaint
from tests.conftest import KEL_A, KEL_A2, KEL_B

pytestmark = pytest.mark.django_db
QUEUE = reverse("complaints:queue")


def _urls(complaint: Complaint) -> dict[str, tuple[str, str]]:
    return {
        "detail": ("get", reverse("complaints:detail", args=[complaint.pk])),
        "photo": ("get", reverse("complaints:photo", args=[complaint.pk])),
        "convert": ("post", reverse("complaints:convert", args=[complaint.pk])),
        "close": ("post", reverse("complaints:close", args=[complaint.pk])),
    }


def test_staff_pages_require_login(city, client):
    complaint = make_complaint()
    for method, url in [("get", QUEUE), *_urls(complaint).values()]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/akun/" in response.url, url


def test_psm_queue_lists_only_its_kelurahan(city, client, psm_a):
    mine, neighbour, elsewhere = make_complaint(KEL_A), make_complaint(KEL_A2), make_complaint(KEL_B)
    client.force_login(psm_a)
    body = client.get(QUEUE).content.decode()
    assert mine.tracking_code in body
    assert neighbour.tracking_code not in body and elsewhere.tracking_code not in body


def test_tksk_queue_covers_the_whole_kecamatan(city, client, tksk_a):
    mine, neighbour, elsewhere = make_complaint(KEL_A), make_complaint(KEL_A2), make_complaint(KEL_B)
    client.force_login(tksk_a)
    body = client.get(QUEUE).content.decode()
    assert mine.tracking_code in body and neighbour.tracking_code in body
    assert elsewhere.tracking_code not in body


def test_queue_opens_on_waiting_complaints_and_can_show_all(city, client, operator, psm_a):
    waiting = make_complaint()
    closed = make_complaint(status=Complaint.Status.CLOSED, close_reason="bukan_ppks", triaged_at="2026-01-05T10:00Z")
    client.force_login(operator)
    body = client.get(QUEUE).content.decode()
    assert waiting.tracking_code in body and closed.tracking_code not in body
    assert closed.tracking_code in client.get(QUEUE, {"status": ""}).content.decode()


def test_psm_b_gets_404_for_every_page_of_psm_a_complaint(city, client, psm_b):
    complaint = make_complaint(KEL_A)
    client.force_login(psm_b)
    for name, (method, url) in _urls(complaint).items():
        assert getattr(client, method)(url, {"reason": "bukan_ppks"}).status_code == 404, name
    assert Complaint.objects.get().status == Complaint.Status.NEW


def test_agency_user_has_no_complaint_queue(city, client, opd_user):
    client.force_login(opd_user)
    assert client.get(QUEUE).status_code == 403


def test_detail_shows_the_reporter_to_the_psm_and_is_logged(city, client, psm_a):
    complaint = make_complaint(reporter_name="Bu Wati", reporter_phone="+6281299998888")
    client.force_login(psm_a)
    body = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Pak Darsono" in body and "Bu Wati" in body and "+6281299998888" in body
    access = PersonalDataAccess.objects.get(object_id=str(complaint.pk))
    assert access.user == psm_a and access.unmasked


def test_head_of_office_sees_counts_not_people_and_cannot_triage(city, client, pimpinan, elderly_category):
    complaint = make_complaint(reporter_name="Bu Wati", reporter_phone="+6281299998888")
    client.force_login(pimpinan)
    body = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert complaint.tracking_code in body
    for private in ("Pak Darsono", "Bu Wati", "6281299998888", "Kenanga", "Lansia sakit"):
        assert private not in body
    assert "P*** D***" in body
    assert client.get(reverse("complaints:photo", args=[complaint.pk])).status_code == 403
    response = client.post(reverse("complaints:convert", args=[complaint.pk]), {"category": elderly_category.code})
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_psm_turns_a_complaint_into_a_case_of_its_kelurahan(city, client, psm_a, elderly_category):
    complaint = make_complaint(KEL_A)
    client.force_login(psm_a)
    response = client.post(
        reverse("complaints:convert", args=[complaint.pk]), {"category": elderly_category.code, "note": "Sudah dicek"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    case = complaint.case
    assert complaint.status == Complaint.Status.CONVERTED and complaint.triaged_by == psm_a
    assert case.kelurahan.code == KEL_A and case.kecamatan.code == KEL_A[:8]
    assert case.source == Case.Source.COMPLAINT and case.category == elderly_category
    assert complaint.tracking_code in case.summary and "Sudah dicek" in case.summary
    assert case.subject_name == "Pak Darsono"
    assert AuditEntry.objects.filter(action="complaints.complaint.converted", object_id=str(complaint.pk)).exists()


def test_a_complaint_cannot_be_triaged_twice(city, client, psm_a, tksk_a, elderly_category):
    complaint = make_complaint(KEL_A)
    client.force_login(psm_a)
    client.post(reverse("complaints:convert", args=[complaint.pk]), {"category": elderly_category.code})
    client.force_login(tksk_a)
    response = client.post(reverse("complaints:close", args=[complaint.pk]), {"reason": "bukan_ppks"})
    assert response.status_code == 409
    assert "sudah ditinjau" in response.content.decode()
    assert Case.objects.count() == 1
    assert Complaint.objects.get().status == Complaint.Status.CONVERTED


def test_conversion_needs_a_ppks_category(city, client, psm_a):
    complaint = make_complaint()
    client.force_login(psm_a)
    response = client.post(reverse("complaints:convert", args=[complaint.pk]), {"category": "PSKS-01"})
    assert response.status_code == 400
    assert "Kategori tidak dikenal." in response.content.decode()
    assert not Case.objects.exists()


def test_tksk_closes_a_complaint_with_a_reason(city, client, tksk_a):
    complaint = make_complaint(KEL_A2)
    client.force_login(tksk_a)
    response = client.post(reverse("complaints:close", args=[complaint.pk]), {"reason": "tidak_ditemukan"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.close_reason) == (Complaint.Status.CLOSED, "tidak_ditemukan")
    assert complaint.triaged_at is not None


def test_closing_as_duplicate_needs_a_note_and_a_reason_is_required(city, client, psm_a):
    complaint = make_complaint()
    client.force_login(psm_a)
    url = reverse("complaints:close", args=[complaint.pk])
    response = client.post(url, {"reason": "duplikat"})
    assert response.status_code == 400
    assert "tuliskan keterangannya" in response.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Alasan penutupan wajib dipilih." in response.content.decode()
    assert Complaint.objects.get().status == Complaint.Status.NEW


def test_photo_is_served_to_the_area_only_and_logged(city, client, psm_a):
    complaint = make_complaint()
    complaint.photo.save(f"{complaint.tracking_code}.png", ContentFile(b"\x89PNG\r\n\x1a\nrest"), save=False)
    complaint.photo_content_type = "image/png"
    complaint.save()
    client.force_login(psm_a)
    response = client.get(reverse("complaints:photo", args=[complaint.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert PersonalDataAccess.objects.filter(object_id=str(complaint.pk)).exists()


def test_queue_loads_in_a_fixed_number_of_queries(city, client, operator, django_assert_max_num_queries):
    for code in (KEL_A, KEL_A2, KEL_B) * 5:
        make_complaint(code)
    client.force_login(operator)
    client.get(QUEUE)  # warm the session and the access cache
    # 14 before verification in two steps (+1: the session's authenticator) and the audit hash chain (+2: its head)
    with django_assert_max_num_queries(17):
        response = client.get(QUEUE)
    assert response.status_code == 200


def test_status_page_says_handled_once_the_case_is_closed(city, client, psm_a, elderly_category):
    complaint = complaint_convert(complaint=make_complaint(), actor=psm_a, category=elderly_category)
    status_url = reverse("complaints:status")
    assert "Ditindaklanjuti sebagai kasus" in client.get(status_url, {"kode": complaint.tracking_code}).content.decode()
    case_close(actor=psm_a, case=complaint.case, outcome="tertangani", reason="Dirawat keluarga.")
    body = client.get(status_url, {"kode": complaint.tracking_code}).content.decode()
    assert "Selesai ditangani" in body and "Dirawat keluarga" not in body


def test_admin_lists_complaints_read_only_without_people(city, client, django_user_model):
    complaint = make_complaint(subject_name="Pak Darsono")
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    body = client.get("/admin/complaints/complaint/").content.decode()
    assert complaint.tracking_code in body and "Darsono" not in body
    detail = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert detail.status_code == 200 and "Darsono" not in detail.content.decode()


def test_queue_filters_refresh_only_the_results_for_htmx(city, client, tksk_a):
    mine, neighbour = make_complaint(KEL_A), make_complaint(KEL_A2)
    client.force_login(tksk_a)
    response = client.get(QUEUE, {"kecamatan": KEL_A[:8], "kelurahan": KEL_A2}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and neighbour.tracking_code in body and mine.tracking_code not in body
