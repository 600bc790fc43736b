"""``/api/v1/cases``: list, detail, one POST per step, counts; the same scoping and rules as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pilar.audit.models import PersonalDataAccess
from pilar.cases import services
from pilar.cases.models import Case, Plan, Stage
from tests.cases.conftest import age, assessed, planned
from tests.conftest import KEL_A, KEL_A2
from tests.factories import psm_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_api_needs_a_token(api_as, case_a):
    anonymous = api_as(None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{case_a.pk}").status_code == 401
    assert post(anonymous, f"{URL}{case_a.pk}/note", {"text": "x"}).status_code == 401


def test_list_items_and_filters(api_as, make_case, psm_a, tksk_a):
    first = make_case(psm_a)
    second = make_case(psm_a, summary="Anak putus sekolah")
    assessed(second, psm_a)
    body = api_as(tksk_a).get(URL, {"stage": "asesmen"}).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == second.pk and item["stage"] == "asesmen" and item["risk_level"] == "tinggi"
    assert (item["kelurahan"], item["category"], item["source"]) == (KEL_A, "PPKS-09", "temuan_psm")
    assert api_as(tksk_a).get(URL, {"kelurahan": KEL_A, "stage": "intake"}).json()["results"][0]["id"] == first.pk
    assert PersonalDataAccess.objects.filter(user=tksk_a, channel="api").exists()


def test_overdue_filter(api_as, make_case, psm_a):
    late = age(make_case(psm_a), 5)
    make_case(psm_a)
    body = api_as(psm_a).get(URL, {"overdue": "1"}).json()
    assert [r["id"] for r in body["results"]] == [late.pk] and body["results"][0]["overdue"] is True


def test_other_kelurahan_psm_gets_404_and_an_empty_list(api_as, case_a, psm_b):
    client = api_as(psm_b)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{case_a.pk}").status_code == 404
    assert post(client, f"{URL}{case_a.pk}/note", {"text": "x"}).status_code == 404
    assert not case_a.notes.exists()


def test_opd_user_gets_403(api_as, case_a, opd_user):
    assert api_as(opd_user).get(URL).status_code == 403
    assert api_as(opd_user).get(f"{URL}{case_a.pk}").status_code == 404


def test_open_a_case_and_refuse_bad_input(api_as, psm_a):
    client = api_as(psm_a)
    bad = post(client, URL, {"kelurahan": "36.71.03.1001", "source": "temuan_psm", "summary": ""})
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"kelurahan", "summary", "subject_name"}
    assert not Case.objects.exists()
    made = post(
        client,
        URL,
        {
            "kelurahan": KEL_A,
            "source": "datang_langsung",
            "subject_name": "Bu Ani",
            "summary": "Tidak punya tempat tinggal",
            "category": "PPKS-11",
        },
    )
    assert made.status_code == 201
    assert made.json()["stage"] == "intake" and made.json()["assigned"] == ["psm.a"]


def test_whole_workflow_through_the_api(api_as, case_a, psm_a, tksk_a):
    psm, tksk = api_as(psm_a), api_as(tksk_a)
    url = f"{URL}{case_a.pk}"
    assert post(psm, f"{url}/assess", {"factors": ["rentan", "tanpa_dukungan"]}).json()["risk_level"] == "tinggi"
    target = (timezone.localdate() + timedelta(days=20)).isoformat()
    planned_case = post(psm, f"{url}/plan", {"goals": "Dirawat", "actions": "Mediasi", "target_date": target})
    assert planned_case.json()["stage"] == "rencana" and planned_case.json()["pending_plan"]
    own = post(psm, f"{url}/approve-plan")
    assert own.status_code == 403
    assert post(tksk, f"{url}/approve-plan", {"note": "OK"}).json()["stage"] == "intervensi"
    assert (
        post(
            psm,
            f"{url}/visit",
            {"visit_date": timezone.localdate().isoformat(), "visitors": "PSM", "findings": "Membaik"},
        ).status_code
        == 200
    )
    assert post(psm, f"{url}/advance").json()["stage"] == "monitoring"
    assert post(psm, f"{url}/advance").status_code == 409
    closed = post(psm, f"{url}/close", {"outcome": "tertangani", "reason": "Dirawat anak"})
    assert closed.json()["stage"] == "ditutup" and closed.json()["outcome"] == "tertangani"
    assert post(psm, f"{url}/reopen", {"reason": "x"}).status_code == 403
    assert post(tksk, f"{url}/reopen", {"reason": ""}).status_code == 400
    reopened = post(tksk, f"{url}/reopen", {"reason": "Kembali terlantar"}).json()
    assert reopened["stage"] == "asesmen" and reopened["reopen_count"] == 1
    kinds = [i["kind"] for i in api_as(psm_a).get(url).json()["timeline"]]
    assert {"event", "assessment", "visit"} <= set(kinds)


def test_return_plan_needs_a_note(api_as, case_a, psm_a, tksk_a):
    planned(assessed(case_a, psm_a), psm_a)
    url = f"{URL}{case_a.pk}/return-plan"
    assert post(api_as(tksk_a), url, {"note": ""}).status_code == 400
    assert post(api_as(tksk_a), url, {"note": "Lengkapi"}).status_code == 200
    assert Plan.objects.get().status == Plan.Status.RETURNED


def test_transfer_and_accept_through_the_api(api_as, case_a, psm_a, city):
    receiver = psm_user("psm.a2", KEL_A2)
    url = f"{URL}{case_a.pk}"
    assert post(api_as(psm_a), f"{url}/transfer", {"to_user": "psm.a2", "reason": "Cuti"}).status_code == 200
    assert post(api_as(psm_a), f"{url}/accept-transfer").status_code == 403
    accepted = post(api_as(receiver), f"{url}/accept-transfer").json()
    assert accepted["assigned"] == ["psm.a2"]


def test_confidential_notes_hidden_from_pimpinan_in_the_api(api_as, case_a, psm_a, pimpinan):
    services.case_note_add(actor=psm_a, case=case_a, text="Rahasia keluarga", confidential=True)
    own = api_as(psm_a).get(f"{URL}{case_a.pk}").json()["timeline"]
    assert any(i["confidential"] for i in own)
    head = api_as(pimpinan).get(f"{URL}{case_a.pk}").json()["timeline"]
    assert not any(i["kind"] == "note" for i in head)


def test_counts_per_kecamatan_and_kelurahan(api_as, make_case, psm_a, tksk_a, psm_b):
    age(make_case(psm_a), 5)
    assessed(make_case(psm_a), psm_a)
    make_case(psm_b, "36.71.03.1001")
    body = api_as(tksk_a).get(f"{URL}counts").json()
    assert [r["code"] for r in body["kecamatan"]] == ["36.71.01"]
    row = body["kelurahan"][0]
    assert row["code"] == KEL_A and row["open"] == 2 and row["overdue"] == 1
    assert row["by_stage"] == {"intake": 1, "asesmen": 1, "rencana": 0, "intervensi": 0, "monitoring": 0}
    assert api_as(psm_b).get(f"{URL}counts").json()["kelurahan"][0]["code"] == "36.71.03.1001"


def test_closed_case_step_answers_409(api_as, case_a, psm_a):
    services.case_close(actor=psm_a, case=case_a, outcome="bukan_kasus", reason="Mampu")
    assert post(api_as(psm_a), f"{URL}{case_a.pk}/advance").status_code == 409
    assert Case.objects.get().stage == Stage.CLOSED


def test_api_list_queries_do_not_grow_with_the_cases(api_as, make_case, operator, psm_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, counts, total = api_as(operator), [], 0
    for more in (2, 10):
        for _ in range(more):
            make_case(psm_a)
        total += more
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).json()["count"] == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
