"""``/api/v1/payroll-runs`` and ``/api/v1/payslips``."""

from datetime import date

import pytest

from pilar.incentives import services
from pilar.incentives.models import PayrollRun

pytestmark = pytest.mark.django_db
URL = "/api/v1/payroll-runs/"


def test_payroll_api_requires_a_token(api_as, operator, make_psm):
    make_psm()
    run = services.payroll_generate(period=date(2026, 6, 1), actor=operator)
    anonymous = api_as(None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.post(URL, {"period": "2026-06"}, content_type="application/json").status_code == 401
    for path in (f"{run.pk}", f"{run.pk}/lines", f"{run.pk}/export/csv"):
        assert anonymous.get(URL + path).status_code == 401
    assert anonymous.post(f"{URL}{run.pk}/approve").status_code == 401
    assert anonymous.get("/api/v1/payslips/").status_code == 401


def test_generate_approve_and_read_a_run_through_the_api(api_as, operator, admin_user, make_psm):
    make_psm(), make_psm(left_on=date(2026, 6, 10)), make_psm(account="")
    created = api_as(operator).post(URL, {"period": "2026-06"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["period"], body["status"], body["line_count"], body["total"]) == ("2026-06", "draf", 2, 666667)
    assert len(body["lines"]) == 2 and isinstance(body["total"], int)
    assert [x["reason"] for x in body["exclusions"]] == ["tanpa_rekening"]
    assert all(line["account_number"].startswith("*") for line in body["lines"])

    run_id = body["id"]
    own = api_as(operator).post(f"{URL}{run_id}/approve")
    assert own.status_code == 403 and "pengguna lain" in own.json()["detail"]
    approved = api_as(admin_user).post(f"{URL}{run_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "disetujui"
    assert api_as(admin_user).post(f"{URL}{run_id}/approve").status_code == 409

    again = api_as(operator).post(URL, {"period": "2026-06"}, content_type="application/json")
    assert again.status_code == 409 and "sudah disetujui" in again.json()["detail"]
    listed = api_as(admin_user).get(URL).json()
    assert listed["count"] == 1 and listed["results"][0]["total"] == 666667
    detail = api_as(admin_user).get(f"{URL}{run_id}").json()
    assert detail["line_count"] == len(detail["lines"]) == 2


def test_bad_period_is_refused_with_a_message_and_nothing_saved(api_as, operator):
    for period in ("juni", "2026-13", ""):
        response = api_as(operator).post(URL, {"period": period}, content_type="application/json")
        assert response.status_code == 400
        assert "period" in response.json()["errors"]
    future = api_as(operator).post(URL, {"period": "2099-01"}, content_type="application/json")
    assert future.status_code == 400 and "belum dimulai" in future.json()["errors"]["period"][0]
    assert not PayrollRun.objects.exists()


def test_exports_through_the_api(api_as, operator, admin_user, pimpinan, make_psm):
    make_psm()
    run = services.payroll_generate(period=date(2026, 6, 1), actor=operator)
    draft_file = api_as(operator).get(f"{URL}{run.pk}/export/csv")
    assert draft_file.status_code == 409 and "sudah disetujui" in draft_file.json()["detail"]
    services.payroll_approve(run=run, actor=admin_user)
    csv = api_as(operator).get(f"{URL}{run.pk}/export/csv")
    assert csv.status_code == 200 and "Insentif PSM Juni 2026" in csv.content.decode("utf-8-sig")
    xlsx = api_as(operator).get(f"{URL}{run.pk}/export/xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = api_as(pimpinan).get(f"{URL}{run.pk}/export/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The head of office reads the recap but not whole account numbers.
    assert api_as(pimpinan).get(f"{URL}{run.pk}/export/csv").status_code == 403
    assert api_as(operator).get(f"{URL}{run.pk}/export/doc").status_code == 404


def test_psm_and_tksk_see_no_run_and_a_psm_sees_only_own_payslips(
    api_as,
    operator,
    admin_user,
    psm_a,
    psm_b,
    tksk_a,
    make_psm,
):
    run = services.payroll_generate(period=date(2026, 6, 1), actor=operator)
    services.payroll_approve(run=run, actor=admin_user)
    assert api_as(psm_a).get(URL).status_code == 403
    assert api_as(psm_a).get(f"{URL}{run.pk}").status_code == 404  # out of the user's scope
    assert api_as(tksk_a).get(f"{URL}{run.pk}").status_code == 404
    assert api_as(psm_a).post(f"{URL}{run.pk}/approve").status_code == 404
    mine = api_as(psm_a).get("/api/v1/payslips/").json()
    assert mine["count"] == 1 and mine["results"][0]["worker"] == psm_a.worker.pk
    assert api_as(tksk_a).get("/api/v1/payslips/").status_code == 403


def test_draft_can_be_discarded_but_an_approved_run_cannot(api_as, operator, admin_user, make_psm):
    make_psm()
    run = services.payroll_generate(period=date(2026, 6, 1), actor=operator)
    assert api_as(operator).delete(f"{URL}{run.pk}").status_code == 204
    run = services.payroll_generate(period=date(2026, 6, 1), actor=operator)
    services.payroll_approve(run=run, actor=admin_user)
    assert api_as(operator).delete(f"{URL}{run.pk}").status_code == 409
