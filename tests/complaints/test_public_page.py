"""The public complaint page: anyone may report, spam is refused, the tracking code reveals only a status."""

import io
import re
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pilar.audit.models import AuditEntry
from pilar.complaints import guard
from pilar.complaints.models import Complaint, SubmissionHit
from pilar.notifications.models import Notification
from tests.complaints.conftest import make_complaint, resident_data
from tests.conftest import KEC_B, KEL_A, KEL_B

SUBMIT = reverse("complaints:submit")
pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("rumah pak darsono.png", buffer.getvalue(), content_type="image/png")


def _errors(response) -> str:
    return response.content.decode()


def test_public_page_opens_without_login_and_carries_a_signed_token(city, client):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    token = re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)
    assert token.split(":")[0].isdigit()  # the signed moment the form was served
    assert 'name="homepage"' in response.content.decode()


def test_anonymous_resident_submits_and_gets_a_tracking_code(city, client, psm_a, tksk_a, psm_b):
    response = client.post(SUBMIT, resident_data(), follow=True)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in response.content.decode()
    assert (complaint.kelurahan.code, complaint.kecamatan.code) == (KEL_A, KEL_A[:8])
    assert complaint.status == Complaint.Status.NEW
    assert (complaint.rt, complaint.rw) == ("003", "004")
    assert complaint.reporter_phone == "+6281234567890"
    assert complaint.channel == Complaint.Channel.WEB
    # The kelurahan's PSM and the kecamatan's TKSK are told; the PSM of another kecamatan is not.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"psm.a", "tksk.a"}
    entry = AuditEntry.objects.get(action="complaints.complaint.submitted")
    assert entry.actor is None and "Sarinah" not in str(entry.data)


def test_a_complaint_from_an_area_without_workers_reaches_the_operators(city, client, operator, psm_a):
    client.post(SUBMIT, resident_data(kecamatan=KEC_B, kelurahan=KEL_B))
    assert Complaint.objects.get().kelurahan.code == KEL_B
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["operator"]


def test_tracking_code_is_long_and_unambiguous(city, client):
    client.post(SUBMIT, resident_data())
    code = Complaint.objects.get().tracking_code
    assert len(code) == 10
    assert not set(code) & set("01OI")


def test_kelurahan_options_follow_the_chosen_kecamatan_without_login(city, client):
    response = client.get(reverse("complaints:kelurahan_options"), {"kecamatan": KEC_B})
    assert response.status_code == 200
    body = response.content.decode()
    assert KEL_B in body and KEL_A not in body


def test_photo_is_kept_under_the_tracking_code_not_the_residents_file_name(city, client):
    client.post(SUBMIT, resident_data(photo=_png()))
    complaint = Complaint.objects.get()
    assert complaint.photo.name.endswith(f"{complaint.tracking_code}.png")
    assert complaint.photo_content_type == "image/png" and complaint.photo_size > 0


def test_a_document_as_photo_is_refused_and_nothing_saved(city, client):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(SUBMIT, resident_data(photo=fake))
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in _errors(response)
    assert not Complaint.objects.exists()


def test_bad_input_is_explained_in_indonesian_and_nothing_saved(city, client):
    response = client.post(
        SUBMIT, resident_data(kelurahan="", description="tolong", reporter_phone="12ab", subject_age="300")
    )
    assert response.status_code == 400
    body = _errors(response)
    assert "Pilih kelurahan tempat orang tersebut berada." in body
    assert "paling sedikit 20 huruf" in body
    assert "Nomor telepon tidak valid" in body
    assert "Umur tidak valid." in body
    assert not Complaint.objects.exists() and not SubmissionHit.objects.exists()


def test_kelurahan_must_lie_in_the_chosen_kecamatan(city, client):
    response = client.post(SUBMIT, resident_data(kecamatan=KEC_B, kelurahan=KEL_A))
    assert response.status_code == 400
    assert "tidak berada di kecamatan yang dipilih" in _errors(response)
    assert not Complaint.objects.exists()


def test_honeypot_filled_by_a_bot_is_refused(city, client):
    response = client.post(SUBMIT, resident_data(homepage="http://spam.example"))
    assert response.status_code == 400
    assert "Pengaduan tidak dapat diterima" in _errors(response)
    assert not Complaint.objects.exists()


def test_form_sent_seconds_after_it_was_served_is_refused(city, client):
    response = client.post(SUBMIT, resident_data(form_token=guard.form_token()))
    assert response.status_code == 400
    assert "terlalu cepat" in _errors(response)
    assert not Complaint.objects.exists()


def test_form_served_hours_ago_is_refused(city, client):
    stale = guard.form_token(issued_at=time.time() - 3 * 3600)
    response = client.post(SUBMIT, resident_data(form_token=stale))
    assert response.status_code == 400
    assert "kedaluwarsa" in _errors(response)
    assert not Complaint.objects.exists()


def test_forged_or_missing_token_is_refused(city, client):
    issued = str(int(time.time() - 60))
    for token in ("", issued, f"{issued}:forged-signature"):
        response = client.post(SUBMIT, resident_data(form_token=token))
        assert response.status_code == 400
        assert "Formulir tidak sah" in _errors(response)
    assert not Complaint.objects.exists()


def test_sixth_complaint_within_an_hour_from_one_address_is_refused(city):
    resident, neighbour = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.1.1.2")
    for _ in range(5):
        assert resident.post(SUBMIT, resident_data()).status_code == 302
    response = resident.post(SUBMIT, resident_data())
    assert response.status_code == 429
    assert "Terlalu banyak pengaduan dari alamat Anda dalam satu jam" in _errors(response)
    assert Complaint.objects.count() == 5
    # Another address is not affected.
    assert neighbour.post(SUBMIT, resident_data()).status_code == 302


def test_daily_limit_holds_after_the_hourly_one_has_passed(city):
    resident = Client(REMOTE_ADDR="10.1.1.3")
    key = guard.client_key(type("R", (), {"META": {"REMOTE_ADDR": "10.1.1.3"}})())
    earlier = timezone.now() - timedelta(hours=3)
    SubmissionHit.objects.bulk_create(SubmissionHit(bucket="submit", client=key, at=earlier) for _ in range(20))
    response = resident.post(SUBMIT, resident_data())
    assert response.status_code == 429
    assert "Batas pengaduan harian" in _errors(response)
    assert not Complaint.objects.exists()


def test_client_address_is_read_from_a_trusted_proxy_only(settings):
    request = type("R", (), {"META": {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}})()
    assert guard.client_address(request) == "10.0.0.1"  # a client may write any header it likes
    settings.PILAR_TRUSTED_PROXIES = "10.0.0.1"
    assert guard.client_address(request) == "203.0.113.9"


def test_residents_behind_the_office_proxy_have_a_limit_each(city, settings):
    settings.PILAR_TRUSTED_PROXIES = "127.0.0.1"
    resident = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    neighbour = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51")
    for _ in range(5):
        assert resident.post(SUBMIT, resident_data()).status_code == 302
    assert resident.post(SUBMIT, resident_data()).status_code == 429
    assert neighbour.post(SUBMIT, resident_data()).status_code == 302
    # Writing another address in front of the one the proxy appended changes nothing.
    forger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.50")
    assert forger.post(SUBMIT, resident_data()).status_code == 429


def test_status_page_shows_status_and_dates_but_no_personal_data(city, client):
    complaint = make_complaint(subject_name="Pak Darsono", reporter_name="Bu Wati", reporter_phone="+6281299998888")
    response = client.get(reverse("complaints:status"), {"kode": complaint.tracking_code.lower()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "menunggu ditinjau" in body
    for private in ("Darsono", "Wati", "6281299998888", "Kenanga", "Lansia sakit", complaint.kelurahan.name):
        assert private not in body


def test_status_page_with_unknown_code_says_so(city, client):
    response = client.get(reverse("complaints:status"), {"kode": "ZZZZZZZZZZ"})
    assert response.status_code == 404
    assert "tidak ditemukan" in response.content.decode()


def test_status_page_without_a_code_asks_for_one(city, client):
    response = client.get(reverse("complaints:status"), {"kode": ""})
    assert response.status_code == 200
    assert "Masukkan kode pelacakan Anda." in response.content.decode()
    assert not SubmissionHit.objects.exists()


def test_status_lookups_are_rate_limited(city, settings):
    settings.PILAR_COMPLAINT_LIMITS = {"status": ((timedelta(hours=1), 2),)}
    visitor = Client(REMOTE_ADDR="10.2.2.2")
    for _ in range(2):
        visitor.get(reverse("complaints:status"), {"kode": "ZZZZZZZZZZ"})
    assert visitor.get(reverse("complaints:status"), {"kode": "ZZZZZZZZZZ"}).status_code == 429


def test_submitted_page_without_a_submission_goes_back_to_the_form(client):
    response = client.get(reverse("complaints:submitted"))
    assert response.status_code == 302 and response.url == SUBMIT


def test_a_tracking_code_already_in_use_is_drawn_again(city, client, monkeypatch):
    taken = make_complaint().tracking_code
    draws = iter([taken, "NEWCDDE234"])
    monkeypatch.setattr("pilar.complaints.services.new_tracking_code", lambda: next(draws))
    client.post(SUBMIT, resident_data())
    assert Complaint.objects.filter(tracking_code="NEWCDDE234").exists()
    assert Complaint.objects.filter(tracking_code=taken).count() == 1
