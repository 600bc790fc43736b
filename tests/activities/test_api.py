"""/api/v1/activity-reports: shape, filters, the workflow, refusals (400/403/404/409) and the access log."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pilar.activities.models import ActivityReport
from pilar.audit.models import PersonalDataAccess
from tests.activities.makers import case_assigned_to, report_for, submitted
from tests.conftest import KEC_A, KEL_A, KEL_B
from tests.factories import WorkerFactory, region

pytestmark = pytest.mark.django_db
URL = "/api/v1/activity-reports/"
JSON = "application/json"


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


def test_psm_creates_submits_and_tksk_accepts_through_the_api(api_as, psm_a, tksk_a):
    psm, tksk = api_as(psm_a), api_as(tksk_a)
    made = psm.post(URL, {"period": "2026-09", "visits": 8, "cases_handled": 1, "info_relayed": 2}, content_type=JSON)
    assert made.status_code == 201, made.content
    item = made.json()
    assert (item["period"], item["status"], item["visits"], item["kelurahan"]) == ("2026-09", "draf", 8, KEL_A)
    assert psm.post(f"{URL}{item['id']}/submit").json()["status"] == "diajukan"
    accepted = tksk.post(f"{URL}{item['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "diterima"
    assert accepted.json()["decided_by"] == "tksk.a"


def test_bad_input_answers_400_in_indonesian_and_saves_nothing(api_as, psm_a):
    answer = api_as(psm_a).post(URL, {"period": "09/2026", "visits": -1}, content_type=JSON)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "TTTT-BB" in errors["period"][0] and "visits" in errors
    assert not ActivityReport.objects.exists()


def test_a_second_report_for_the_month_answers_400_on_the_period(api_as, psm_a):
    report_for(psm_a)
    answer = api_as(psm_a).post(URL, {"period": "2026-09", "visits": 1}, content_type=JSON)
    assert answer.status_code == 400 and "sudah ada" in answer.json()["errors"]["period"][0]


def test_only_a_psm_with_a_worker_record_creates_reports(api_as, tksk_a, operator):
    assert api_as(tksk_a).post(URL, {"period": "2026-09"}, content_type=JSON).status_code == 403
    assert api_as(operator).post(URL, {"period": "2026-09"}, content_type=JSON).status_code == 403


def test_list_filters_and_item_shape(api_as, operator, psm_a, psm_b):
    submitted(psm_a)
    report_for(psm_b)
    report_for(psm_a, date(2026, 8, 1))
    client = api_as(operator)
    body = client.get(URL, {"period": "2026-09", "kecamatan": KEC_A}).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert set(item) >= {"id", "worker", "period", "status", "visits", "ppks_found"}
    assert (item["period"], item["status"], item["worker"]) == ("2026-09", "diajukan", psm_a.worker.pk)
    assert client.get(URL, {"status": "draf"}).json()["count"] == 2
    assert client.get(URL, {"kelurahan": KEL_B}).json()["count"] == 1
    assert PersonalDataAccess.objects.filter(user=operator, channel="api").exists()


def test_tksk_lists_only_their_kecamatan_and_gets_404_outside(api_as, tksk_a, psm_a, psm_b):
    inside, outside = report_for(psm_a), submitted(psm_b)
    client = api_as(tksk_a)
    assert [r["id"] for r in client.get(URL).json()["results"]] == [inside.pk]
    assert client.get(f"{URL}{outside.pk}").status_code == 404
    assert client.post(f"{URL}{outside.pk}/accept").status_code == 404


def test_psm_lists_only_their_own_reports(api_as, psm_a, city):
    neighbour = WorkerFactory(region=region(KEL_A))
    ActivityReport.objects.create(
        worker=neighbour, period=date(2026, 9, 1), kecamatan=neighbour.kecamatan, kelurahan=neighbour.kelurahan
    )
    own = report_for(psm_a)
    assert [r["id"] for r in api_as(psm_a).get(URL).json()["results"]] == [own.pk]


def test_accepting_twice_is_a_409_and_psm_cannot_accept_403(api_as, psm_a, tksk_a):
    report = submitted(psm_a)
    assert api_as(psm_a).post(f"{URL}{report.pk}/accept").status_code == 403
    assert api_as(tksk_a).post(f"{URL}{report.pk}/accept").status_code == 200
    conflict = api_as(tksk_a).post(f"{URL}{report.pk}/accept")
    assert conflict.status_code == 409 and "diajukan" in conflict.json()["detail"]


def test_return_needs_a_reason_then_psm_corrects_with_put(api_as, psm_a, tksk_a):
    report = submitted(psm_a)
    tksk = api_as(tksk_a)
    assert tksk.post(f"{URL}{report.pk}/return", {}, content_type=JSON).status_code == 400
    returned = tksk.post(f"{URL}{report.pk}/return", {"reason": "Isi kasus"}, content_type=JSON).json()
    assert (returned["status"], returned["return_reason"]) == ("dikembalikan", "Isi kasus")
    case_assigned_to(psm_a, datetime(2026, 9, 2, 8, tzinfo=ZoneInfo("Asia/Jakarta")))
    fixed = api_as(psm_a).put(f"{URL}{report.pk}", {"visits": 15, "notes": "Kasus dicatat"}, content_type=JSON)
    assert fixed.status_code == 200
    assert (fixed.json()["visits"], fixed.json()["cases_handled"]) == (15, 1)


def test_without_a_token_the_api_answers_401(api_as, psm_a):
    report = report_for(psm_a)
    assert api_as(None).get(URL).status_code == 401
    assert api_as(None).get(f"{URL}{report.pk}").status_code == 401


def test_opd_user_sees_no_reports(api_as, opd_user, psm_a):
    report = report_for(psm_a)
    assert api_as(opd_user).get(URL).status_code == 403
    assert api_as(opd_user).get(f"{URL}{report.pk}").status_code == 404


def test_a_bad_month_filter_is_a_400_not_an_unfiltered_list(api_as, operator, psm_a):
    report_for(psm_a)
    answer = api_as(operator).get(URL, {"period": "September"})
    assert answer.status_code == 400 and "TTTT-BB" in answer.json()["errors"]["period"][0]


def test_the_openapi_schema_describes_the_activity_endpoints(api_as, operator):
    paths = api_as(operator).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/activity-reports/", "/api/v1/activity-reports/{report_id}/accept"} <= set(paths)
    create = paths["/api/v1/activity-reports/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"period", "visits", "info_relayed"} <= set(create["properties"])


def test_recap_endpoint_gives_the_tksk_their_kecamatan_and_404_for_another(api_as, tksk_a, psm_a, psm_b):
    submitted(psm_a, visits=7)
    submitted(psm_b, visits=50)
    client = api_as(tksk_a)
    body = client.get(f"{URL}recap", {"period": "2026-09"}).json()
    assert body["kecamatan"] == KEC_A and body["period"] == "2026-09"
    sukarasa = next(row for row in body["rows"] if row["code"] == KEL_A)
    assert (sukarasa["psm"], sukarasa["submitted"], sukarasa["visits"]) == (1, 1, 7)
    assert body["total"]["visits"] == 7
    assert client.get(f"{URL}recap", {"kecamatan": "36.71.03"}).status_code == 404
    assert client.get(f"{URL}recap", {"period": "2026/09"}).status_code == 400


def test_roadshow_endpoints_list_stops_and_coverage_in_the_users_area(api_as, operator, tksk_a):
    from pilar.activities.services import roadshow_plan

    roadshow_plan(actor=operator, region=region(KEL_A), planned_date=date(2026, 11, 2))
    roadshow_plan(actor=operator, region=region(KEL_B), planned_date=date(2026, 11, 3))
    stops = api_as(tksk_a).get("/api/v1/roadshow/").json()
    assert stops["count"] == 1 and stops["results"][0]["region"] == KEL_A
    assert stops["results"][0]["status"] == "rencana"
    city = api_as(operator).get("/api/v1/roadshow/coverage").json()
    assert len(city) == 13 and sum(row["villages"] for row in city) == 104
    assert sum(row["planned"] for row in city) == 2
    assert [row["kecamatan"] for row in api_as(tksk_a).get("/api/v1/roadshow/coverage").json()] == [KEC_A]
    assert api_as(None).get("/api/v1/roadshow/coverage").status_code == 401


# persona: (list, detail in, detail out, create, accept in, accept out); "in" is a report of kelurahan A.
MATRIX = {
    "admin_user": (200, 200, 200, 403, 200, 200),
    "operator": (200, 200, 200, 403, 200, 200),
    "pimpinan": (200, 200, 200, 403, 403, 403),
    "tksk_a": (200, 200, 404, 403, 200, 404),
    "psm_a": (200, 200, 404, 201, 403, 404),
    "opd_user": (403, 404, 404, 403, 404, 404),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_activity_report_endpoints_answer_by_role_and_area(api_as, request, persona, psm_a, psm_b):
    # psm_a's own August report is "in" (a PSM sees only their own); September is still free to create.
    inside, outside = submitted(psm_a, date(2026, 8, 1)), submitted(psm_b)
    client = api_as(request.getfixturevalue(persona))
    got = (
        client.get(URL).status_code,
        client.get(f"{URL}{inside.pk}").status_code,
        client.get(f"{URL}{outside.pk}").status_code,
        client.post(URL, {"period": "2026-09"}, content_type=JSON).status_code,
        client.post(f"{URL}{inside.pk}/accept").status_code,
        client.post(f"{URL}{outside.pk}/accept").status_code,
    )
    assert got == MATRIX[persona]
