"""``/api/v1/complaints``: public submit and status without login; the staff queue scoped by area."""

import time

import pytest
from django.test import Client

from pilar.cases.models import Case
from pilar.complaints import guard
from pilar.complaints.models import Complaint, SubmissionHit
from tests.complaints.conftest import api_payload, make_complaint
from tests.conftest import KEL_A, KEL_B

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints/"


def _post(client: Client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def test_anyone_submits_a_complaint_without_login(city):
    response = _post(Client(), URL, api_payload())
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.channel == Complaint.Channel.API and complaint.kelurahan.code == KEL_A
    assert set(response.json()) == {"tracking_code"}


def test_bad_submission_answers_400_in_indonesian_and_saves_nothing(city):
    response = _post(Client(), URL, api_payload(kelurahan="99.99.99.9999", description=""))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["kelurahan"] == ["Kelurahan tidak dikenal."]
    assert errors["description"] == ["Ceritakan keadaan orang tersebut."]
    assert not Complaint.objects.exists()


def test_api_submissions_share_the_rate_limit(city):
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        assert _post(client, URL, api_payload()).status_code == 201
    response = _post(client, URL, api_payload())
    assert response.status_code == 429
    assert "Terlalu banyak pengaduan" in response.json()["detail"]
    assert Complaint.objects.count() == 5


def test_an_app_takes_a_form_token_and_submits_after_the_fill_time(city, settings):
    client = Client()
    answer = client.get(f"{URL}form-token")
    assert answer.status_code == 200
    issued = answer.json()
    assert issued["min_fill_seconds"] == guard.MIN_FILL_SECONDS and issued["valid_seconds"] == 7200
    payload = api_payload(form_token=issued["form_token"])
    too_fast = _post(client, URL, payload)
    assert too_fast.status_code == 400
    assert "terlalu cepat" in str(too_fast.json()["errors"])
    settings.PILAR_COMPLAINT_MIN_FILL_SECONDS = 0  # as if the resident had taken the usual minute
    assert _post(client, URL, payload).status_code == 201
    assert Complaint.objects.count() == 1


def test_api_submission_without_a_form_token_is_refused_and_names_the_step(city):
    payload = api_payload()
    del payload["form_token"]
    response = _post(Client(), URL, payload)
    assert response.status_code == 400
    assert response.json()["errors"]["form_token"] == [
        "Ambil token formulir lebih dulu: GET /api/v1/complaints/form-token."
    ]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"homepage": "http://promo.example"}, "Pengaduan tidak dapat diterima"),
        ({"form_token": "12345:palsu"}, "Formulir tidak sah"),
        ({"form_token": guard.form_token(issued_at=time.time() - 3 * 3600)}, "kedaluwarsa"),
    ],
    ids=["honeypot", "forged-token", "stale-token"],
)
def test_api_submission_that_a_script_made_is_refused_and_not_counted(city, change, message):
    client = Client(REMOTE_ADDR="10.9.9.8")
    response = _post(client, URL, api_payload(**change))
    assert response.status_code == 400
    assert message in str(response.json()["errors"])
    assert not Complaint.objects.exists() and not SubmissionHit.objects.exists()


def test_public_status_shows_only_status_and_dates(city):
    complaint = make_complaint(reporter_name="Bu Wati")
    response = Client().get(f"{URL}status/{complaint.tracking_code}")
    assert response.status_code == 200
    assert set(response.json()) == {
        "tracking_code",
        "status",
        "status_label",
        "submitted_at",
        "reviewed_at",
        "finished_at",
    }
    assert response.json()["status"] == "baru"


def test_public_status_of_an_unknown_code_is_404(city):
    assert Client().get(f"{URL}status/ZZZZZZZZZZ").status_code == 404


def test_staff_operations_need_a_token(city):
    complaint = make_complaint()
    assert Client().get(URL).status_code == 401
    assert Client().get(f"{URL}{complaint.pk}").status_code == 401
    assert _post(Client(), f"{URL}{complaint.pk}/convert", {"category": "PPKS-08"}).status_code == 401
    assert _post(Client(), f"{URL}{complaint.pk}/close", {"reason": "bukan_ppks"}).status_code == 401
    assert Complaint.objects.get().status == Complaint.Status.NEW


def test_psm_lists_only_its_kelurahan_and_gets_404_elsewhere(city, api_as, psm_a, psm_b):
    mine, other = make_complaint(KEL_A), make_complaint(KEL_B)
    response = api_as(psm_a).get(URL)
    assert response.status_code == 200
    assert [row["tracking_code"] for row in response.json()["results"]] == [mine.tracking_code]
    client_b = api_as(psm_b)
    assert client_b.get(f"{URL}{mine.pk}").status_code == 404
    assert _post(client_b, f"{URL}{mine.pk}/close", {"reason": "bukan_ppks"}).status_code == 404
    assert _post(client_b, f"{URL}{mine.pk}/convert", {"category": "PPKS-08"}).status_code == 404
    assert [row["id"] for row in client_b.get(URL).json()["results"]] == [other.pk]


def test_detail_masks_people_for_the_head_of_office(city, api_as, pimpinan, psm_a):
    complaint = make_complaint(reporter_phone="+6281299998888")
    masked = api_as(pimpinan).get(f"{URL}{complaint.pk}").json()
    assert masked["subject_name"] == "P*** D***" and masked["reporter_phone"] == ""
    assert masked["description"] != complaint.description
    full = api_as(psm_a).get(f"{URL}{complaint.pk}").json()
    assert full["subject_name"] == "Pak Darsono" and full["reporter_phone"] == "+6281299998888"


def test_convert_over_the_api_opens_a_case_then_answers_409(city, api_as, tksk_a, elderly_category):
    complaint = make_complaint(KEL_A)
    client = api_as(tksk_a)
    response = _post(client, f"{URL}{complaint.pk}/convert", {"category": elderly_category.code})
    assert response.status_code == 200
    body = response.json()
    case = Case.objects.get(pk=body["case"])
    assert body["status"] == "kasus" and case.kelurahan.code == KEL_A
    again = _post(client, f"{URL}{complaint.pk}/close", {"reason": "bukan_ppks"})
    assert again.status_code == 409


def test_close_over_the_api_validates_the_reason(city, api_as, psm_a):
    complaint = make_complaint(KEL_A)
    client = api_as(psm_a)
    bad = _post(client, f"{URL}{complaint.pk}/close", {"reason": "lainnya"})
    assert bad.status_code == 400 and "note" in bad.json()["errors"]
    ok = _post(client, f"{URL}{complaint.pk}/close", {"reason": "sudah_ditangani", "note": "Dibantu RT"})
    assert ok.status_code == 200 and ok.json()["close_reason"] == "sudah_ditangani"


def test_head_of_office_cannot_triage_over_the_api(city, api_as, pimpinan):
    complaint = make_complaint(KEL_A)
    response = _post(api_as(pimpinan), f"{URL}{complaint.pk}/close", {"reason": "bukan_ppks"})
    assert response.status_code == 403
