"""``/api/v1/programs`` and ``/api/v1/enrollments``: the same rules and scope as the pages."""

from datetime import date

import pytest

from pilar.accounts.models import Agency
from pilar.audit.models import PersonalDataAccess
from pilar.programs.models import Enrollment, Program
from tests.conftest import KEC_A, KEL_A, KEL_B
from tests.programs.makers import approved, proposed, record

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_endpoints_need_a_token(api_as, city):
    client = api_as(None)
    for url in ("/programs/", "/programs/pkh", "/programs/reach", "/enrollments/", "/enrollments/1"):
        assert client.get(API + url).status_code == 401
    assert client.post(f"{API}/enrollments/", {}, content_type="application/json").status_code == 401


def test_programs_list_the_six_seeded_programs_with_their_criteria(api_as, psm_a):
    answer = api_as(psm_a).get(f"{API}/programs/").json()
    codes = {p["code"] for p in answer["results"]}
    assert codes == {"tangerang-cerdas", "bedah-rumah", "tangerang-terang", "pkh", "bpnt", "pbi-jk"}
    bedah = api_as(psm_a).get(f"{API}/programs/bedah-rumah").json()
    assert bedah["agency"] == "disperkimtan" and bedah["kind"] == "bedah_rumah" and bedah["categories"] == ["RTLH"]
    assert "menilai kondisi rumah" in bedah["how_to_apply"] and "7,2 m²" in bedah["who_qualifies"]
    assert api_as(psm_a).get(f"{API}/programs/tidak-ada").status_code == 404


def test_psm_proposes_through_the_api_and_a_second_proposal_is_a_conflict(api_as, psm_a):
    rec = record()
    client = api_as(psm_a)
    answer = client.post(f"{API}/enrollments/", {"program": "pkh", "record": rec.pk}, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "diusulkan" and body["kelurahan"] == KEL_A and body["events"][0]["action"] == "proposed"
    again = client.post(f"{API}/enrollments/", {"program": "pkh", "record": rec.pk}, content_type="application/json")
    assert again.status_code == 409 and "Sudah terdaftar" in again.json()["detail"]


def test_ineligible_proposal_is_400_with_every_reason_and_nothing_saved(api_as, psm_a):
    rec = record()
    answer = api_as(psm_a).post(
        f"{API}/enrollments/", {"program": "tangerang-cerdas", "record": rec.pk}, content_type="application/json"
    )
    assert answer.status_code == 400
    reasons = answer.json()["errors"]["record"]
    assert len(reasons) >= 2 and any("perorangan" in r for r in reasons)
    assert not Enrollment.objects.exists()


def test_proposal_for_a_record_outside_the_area_is_refused_on_the_field(api_as, psm_b):
    rec = record()
    answer = api_as(psm_b).post(
        f"{API}/enrollments/", {"program": "pkh", "record": rec.pk}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["record"] == ["Data PPKS tidak ditemukan di wilayah Anda."]


def test_enrollments_are_scoped_and_out_of_area_detail_is_404(api_as, psm_a, psm_b):
    mine = proposed("pkh", record(), psm_a)
    far = proposed("pkh", record(kelurahan=KEL_B), psm_b)
    listed = api_as(psm_a).get(f"{API}/enrollments/").json()
    assert [e["id"] for e in listed["results"]] == [mine.pk]
    assert api_as(psm_a).get(f"{API}/enrollments/{far.pk}").status_code == 404
    assert (
        api_as(psm_a).post(f"{API}/enrollments/{far.pk}/approve", {}, content_type="application/json").status_code
        == 404
    )
    assert PersonalDataAccess.objects.filter(user=psm_a, channel="api").exists()


def test_opd_user_lists_only_its_agencys_program_and_sees_masked_nik(api_as, psm_a, opd_user):
    Program.objects.filter(code="pbi-jk").update(agency=Agency.objects.get(code="dinkes"))
    health = proposed("pbi-jk", record(), psm_a)
    proposed("pkh", record(), psm_a)
    listed = api_as(opd_user).get(f"{API}/enrollments/").json()["results"]
    assert [e["id"] for e in listed] == [health.pk]
    assert "*" in listed[0]["nik"]


def test_enrollment_filters(api_as, psm_a, operator):
    approved("pkh", record(), psm_a, operator)
    proposed("bpnt", record(), psm_a)
    client = api_as(operator)
    year = str(date.today().year)
    assert client.get(f"{API}/enrollments/", {"program": "pkh", "period": year}).json()["count"] == 1
    assert client.get(f"{API}/enrollments/", {"status": "diusulkan"}).json()["count"] == 1
    assert client.get(f"{API}/enrollments/", {"kecamatan": KEC_A}).json()["count"] == 2
    assert client.get(f"{API}/enrollments/", {"kelurahan": KEL_B}).json()["count"] == 0


def test_workflow_through_the_api_with_refusals(api_as, psm_a, operator):
    enrollment = proposed("pkh", record(), psm_a)
    url = f"{API}/enrollments/{enrollment.pk}"
    psm = api_as(psm_a)
    assert psm.post(f"{url}/approve", {}, content_type="application/json").status_code == 403
    op = api_as(operator)
    assert (
        op.post(f"{url}/deliver", {"on": date.today().isoformat()}, content_type="application/json").status_code == 409
    )
    assert op.post(f"{url}/reject", {"reason": ""}, content_type="application/json").status_code == 400
    assert op.post(f"{url}/approve", {"note": "ok"}, content_type="application/json").json()["status"] == "disetujui"
    bad = op.post(f"{url}/deliver", {"on": date.today().isoformat(), "amount": "-1"}, content_type="application/json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    done = op.post(
        f"{url}/deliver", {"on": date.today().isoformat(), "amount": 900000}, content_type="application/json"
    )
    assert done.json()["amount"] == 900000 and done.json()["status"] == "disalurkan"
    assert op.post(f"{url}/complete", {}, content_type="application/json").json()["status"] == "selesai"
    left = op.post(f"{url}/exit", {"on": date.today().isoformat(), "reason": "pindah"}, content_type="application/json")
    assert left.status_code == 409


def test_operator_cannot_approve_own_proposal_through_the_api(api_as, operator):
    enrollment = proposed("pkh", record(), operator)
    answer = api_as(operator).post(f"{API}/enrollments/{enrollment.pk}/approve", {}, content_type="application/json")
    assert answer.status_code == 403 and "sendiri" in answer.json()["detail"]


def test_reach_counts_per_kecamatan_and_kelurahan(api_as, psm_a, psm_b, operator):
    approved("pkh", record(), psm_a, operator)
    approved("pkh", record(kelurahan=KEL_B), psm_b, operator)
    rows = api_as(operator).get(f"{API}/programs/reach", {"program": "pkh"}).json()
    assert {(r["region"], r["beneficiaries"]) for r in rows} == {(KEC_A, 1), ("36.71.03", 1)}
    rows = api_as(psm_a).get(f"{API}/programs/reach").json()  # a PSM sees its own kelurahan only
    assert [(r["region"], r["beneficiaries"]) for r in rows] == [(KEC_A, 1)]
    rows = api_as(operator).get(f"{API}/programs/reach", {"kecamatan": KEC_A}).json()
    assert rows[0]["level"] == "kelurahan" and rows[0]["region"] == KEL_A


def test_enrollment_list_queries_do_not_grow_with_the_rows(api_as, psm_a, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(operator)
    approved("pkh", record(), psm_a, operator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/enrollments/").status_code == 200
        return len(ctx)

    few = queries()
    for _ in range(4):
        approved("bpnt", record(), psm_a, operator)
    assert queries() == few


def test_eligibility_endpoint_lists_every_check_and_hides_records_outside_the_area(api_as, psm_a, psm_b):
    family = record()
    answer = api_as(psm_a).get(f"{API}/programs/tangerang-cerdas/eligibility", {"record": family.pk})
    body = answer.json()
    assert answer.status_code == 200 and body["eligible"] is False
    failed = [c for c in body["checks"] if not c["ok"]]
    assert {c["label"] for c in failed} >= {"Sasaran perorangan", "Kategori PPKS"}
    assert all(c["message"] for c in failed)
    ok = api_as(psm_a).get(f"{API}/programs/pkh/eligibility", {"record": family.pk}).json()
    assert ok["eligible"] is True and ok["period"] == str(date.today().year)
    assert api_as(psm_b).get(f"{API}/programs/pkh/eligibility", {"record": family.pk}).status_code == 404
    bad = api_as(psm_a).get(f"{API}/programs/bpnt/eligibility", {"record": family.pk, "period": "2026"})
    assert bad.status_code == 400 and "tahun-bulan" in bad.json()["errors"]["period"][0]
