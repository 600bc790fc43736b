import pytest
from django.utils import timezone

from pilar.accounts.models import Agency
from pilar.referrals import services
from pilar.referrals.models import Referral
from pilar.regional.loader import load_shipped_pack
from tests.conftest import KEL_A2

URL = "/api/v1/referrals/"


@pytest.fixture
def demo_like(referral_a, make_case, case_b, psm_a, psm_b, tksk_a, send, disnaker, opd_user):
    """As in the demo: referrals to Dinkes and to Disnaker from two kecamatan; ``opd.dinkes`` is opd_user."""
    dinkes_2 = send(make_case(tksk_a, KEL_A2, subject_name="Nenek Ratna"), tksk_a, reason="Kontrol gula darah")
    to_disnaker = send(case_b, psm_b, to=disnaker, reason="Pelatihan kerja")
    services.referral_accept(referral=dinkes_2, actor=opd_user)
    return {"dinkes": {referral_a.pk, dinkes_2.pk}, "disnaker": {to_disnaker.pk}}


def test_the_api_needs_a_token(api_as, referral_a):
    assert api_as(None).get(URL).status_code == 401
    assert api_as(None).get("/api/v1/agencies/").status_code == 401


def test_opd_dinkes_lists_only_referrals_to_dinkes(api_as, demo_like, opd_user):
    assert opd_user.username == "opd.dinkes"
    data = api_as(opd_user).get(URL).json()
    assert data["count"] == 2
    assert {item["id"] for item in data["results"]} == demo_like["dinkes"]
    assert {item["agency"] for item in data["results"]} == {"dinkes"}
    item = data["results"][0]
    assert set(item) >= {"case", "status", "kelurahan", "kecamatan", "name", "reason", "overdue"}
    assert "summary" not in item and "address" not in item


def test_operator_lists_every_agency_and_filters_by_code(api_as, demo_like, operator):
    client = api_as(operator)
    assert client.get(URL).json()["count"] == 3
    only = client.get(URL, {"agency": "disnaker"}).json()
    assert {item["id"] for item in only["results"]} == demo_like["disnaker"]


def test_a_referral_outside_the_users_scope_answers_404(api_as, demo_like, opd_user, psm_b):
    [other] = demo_like["disnaker"]
    assert api_as(opd_user).get(f"{URL}{other}").status_code == 404
    [mine, *_] = sorted(demo_like["dinkes"])
    assert api_as(psm_b).get(f"{URL}{mine}").status_code == 404


def test_the_detail_carries_the_contact_and_the_history(api_as, referral_a, opd_user):
    data = api_as(opd_user).get(f"{URL}{referral_a.pk}").json()
    assert data["agency"] == "dinkes" and data["contact_name"] == referral_a.contact_name
    assert [e["action"] for e in data["events"]] == ["sent"]


def test_a_psm_creates_a_referral_for_a_case(api_as, case_a, psm_a, dinkes):
    response = api_as(psm_a).post(
        URL, {"case": case_a.pk, "agency": "dinkes", "reason": "Cek kesehatan"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "terkirim"
    assert Referral.objects.get().case == case_a


def test_creating_with_bad_input_answers_400_and_saves_nothing(api_as, case_a, psm_a, dinkes):
    response = api_as(psm_a).post(
        URL, {"case": case_a.pk, "agency": "entah", "reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["agency"] == ["OPD tujuan tidak dikenal."] and "reason" in errors
    assert not Referral.objects.exists()


def test_creating_for_a_case_outside_the_area_answers_404(api_as, case_b, psm_a, dinkes):
    response = api_as(psm_a).post(
        URL, {"case": case_b.pk, "agency": "dinkes", "reason": "Cek"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_an_agency_user_cannot_create_referrals(api_as, case_a, opd_user):
    response = api_as(opd_user).post(
        URL, {"case": case_a.pk, "agency": "dinkes", "reason": "Cek"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_the_agency_answers_through_the_api(api_as, referral_a, opd_user):
    client = api_as(opd_user)
    post = lambda action, body: client.post(f"{URL}{referral_a.pk}/{action}", body, content_type="application/json")  # noqa: E731
    assert post("accept", {"note": "Dijadwalkan"}).json()["status"] == "diterima"
    assert post("accept", {}).status_code == 409  # already answered
    assert post("process", {}).json()["status"] == "diproses"
    assert post("complete", {"outcome": ""}).status_code == 400
    done = post("complete", {"outcome": "Dirawat jalan", "completed_on": timezone.localdate().isoformat()})
    assert done.status_code == 200 and done.json()["status"] == "selesai"
    assert [e["action"] for e in done.json()["events"]] == ["sent", "accepted", "processing", "completed"]


def test_a_decline_needs_a_reason_in_the_api(api_as, referral_a, opd_user):
    client = api_as(opd_user)
    url = f"{URL}{referral_a.pk}/decline"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    assert client.post(url, {"reason": "Bukan wewenang"}, content_type="application/json").json()["status"] == "ditolak"


def test_a_psm_cannot_answer_in_the_api(api_as, referral_a, psm_a):
    response = api_as(psm_a).post(f"{URL}{referral_a.pk}/accept", {}, content_type="application/json")
    assert response.status_code == 403


def test_another_agency_cannot_answer_in_the_api(api_as, referral_a, opd_disnaker):
    response = api_as(opd_disnaker).post(f"{URL}{referral_a.pk}/accept", {}, content_type="application/json")
    assert response.status_code == 404


def test_counts_by_agency_state_and_area(api_as, demo_like, operator, opd_user):
    data = api_as(operator).get(f"{URL}counts").json()
    by_agency = {(r["agency"], r["status"]): r["count"] for r in data["by_agency"]}
    assert by_agency == {("dinkes", "terkirim"): 1, ("dinkes", "diterima"): 1, ("disnaker", "terkirim"): 1}
    by_kecamatan = {(r["kecamatan"], r["agency"], r["status"]): r["count"] for r in data["by_kecamatan"]}
    assert by_kecamatan[("36.71.03", "disnaker", "terkirim")] == 1
    assert sum(r["count"] for r in data["by_kelurahan"]) == 3
    assert data["overdue"] == 0
    own = api_as(opd_user).get(f"{URL}counts").json()
    assert {r["agency"] for r in own["by_agency"]} == {"dinkes"}


def test_agencies_are_listed_by_code(api_as, psm_a):
    load_shipped_pack("36.71")  # the region's pack; a browser test's flush removes it
    assert load_shipped_pack("36.71")["agencies"] == 0  # loading again creates nothing
    data = api_as(psm_a).get("/api/v1/agencies/", {"limit": 100}).json()
    codes = {a["code"] for a in data["results"]}
    assert {"dinkes", "disnaker", "dp3ap2kb", "disdik", "disperkimtan", "bpjs", "kelurahan", "dukcapil"} <= codes


def test_an_inactive_agency_is_neither_listed_nor_accepted(api_as, case_a, psm_a):
    load_shipped_pack("36.71")
    Agency.objects.filter(code="disdik").update(is_active=False)
    client = api_as(psm_a)
    assert "disdik" not in {a["code"] for a in client.get("/api/v1/agencies/", {"limit": 100}).json()["results"]}
    response = client.post(
        URL, {"case": case_a.pk, "agency": "disdik", "reason": "Sekolah"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_list_costs_the_same_few_queries_for_many_referrals(
    api_as, make_case, psm_a, send, operator, django_assert_max_num_queries
):
    for i in range(10):
        send(make_case(psm_a, subject_name=f"Warga {i}"), psm_a)
    client = api_as(operator)
    with django_assert_max_num_queries(12):
        data = client.get(URL).json()
    assert data["count"] == 10 and all(item["name"].startswith("Warga") for item in data["results"])
