"""The foundation's 'done when', checked the way the office will: seed the demo, then ask the API."""

from io import StringIO

import pytest
from django.core.management import call_command

from pilar.accounts.models import User
from tests.factories import WorkerFactory, region
from tests.signin import TOTP_SECRET, needs_second_factor, totp_code

PASSWORD = "demo-pilar-2026"


def token(client, username: str) -> dict[str, str]:
    data = {"username": username, "password": PASSWORD}
    user = User.objects.get(username=username)
    if needs_second_factor(user):  # seeded with --mfa-secret TOTP_SECRET
        data["otp"] = totp_code(user)
    answer = client.post("/api/v1/auth/token", data, content_type="application/json")
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.mark.django_db
def test_after_seed_demo_the_api_reports_the_kota_tangerang_workforce(client):
    call_command("seed_demo", password=PASSWORD, mfa_secret=TOTP_SECRET, stdout=StringIO())
    verified = StringIO()
    call_command("audit_verify", stdout=verified)  # the seed's thousands of audit entries form one intact chain
    assert "Rantai audit utuh." in verified.getvalue()
    admin = token(client, "admin")

    def count(path: str) -> int:
        answer = client.get(path, headers=admin)
        assert answer.status_code == 200
        return answer.json()["count"]

    assert count("/api/v1/regions/?level=kecamatan") == 13
    assert count("/api/v1/regions/?level=kelurahan") == 104
    assert count("/api/v1/workers/?role=psm&status=aktif") == 987
    assert count("/api/v1/workers/?role=tksk") == 13

    psm = token(client, "psm.3671011001.1")
    mine = client.get("/api/v1/workers/?limit=500", headers=psm).json()
    assert mine["count"] > 0
    assert {item["kelurahan"] for item in mine["results"]} == {"36.71.01.1001"}
    elsewhere = WorkerFactory(region=region("36.71.02.1001"))
    assert client.get(f"/api/v1/workers/{elsewhere.pk}", headers=psm).status_code == 404


@pytest.mark.django_db
def test_after_seed_demo_the_api_shows_registry_cases_referrals_programs_trainings_and_payroll(client, settings):
    call_command("seed_demo", password=PASSWORD, mfa_secret=TOTP_SECRET, stdout=StringIO())
    admin = token(client, "admin")

    def get(path: str, headers=admin) -> dict:
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.content[:300])
        return answer.json()

    # Registry (issue 3): reference data, scoped PPKS lists with masked NIKs for a PSM.
    assert get("/api/v1/categories/?kind=ppks")["count"] == 26 and get("/api/v1/categories/?kind=psks")["count"] == 12
    psm = token(client, "psm.3671011001.1")
    mine = get("/api/v1/ppks/?limit=200", headers=psm)
    assert mine["count"] > 0 and {r["kelurahan"] for r in mine["results"]} == {"36.71.01.1001"}
    assert all(r["nik"] is None or "*" in r["nik"] for r in mine["results"])

    # Cases (issue 4): every open stage present city-wide, and closed ones too.
    stages = {r["stage"] for r in get("/api/v1/cases/?limit=500")["results"]}
    assert {"intake", "asesmen", "rencana", "intervensi", "monitoring", "ditutup"} <= stages
    # Referrals: several agencies; the Dinkes user lists only Dinkes's.
    assert len({r["agency"] for r in get("/api/v1/referrals/?limit=500")["results"]}) >= 3
    dinkes = get("/api/v1/referrals/?limit=500", headers=token(client, "opd.dinkes"))
    assert dinkes["count"] > 0 and {r["agency"] for r in dinkes["results"]} == {"dinkes"}
    # Programs: the six seeded programs each have enrollments.
    programs = {p["code"] for p in get("/api/v1/programs/")["results"]}
    assert programs == {"tangerang-cerdas", "bedah-rumah", "tangerang-terang", "pkh", "bpnt", "pbi-jk"}
    for code in programs:
        assert get(f"/api/v1/enrollments/?program={code}")["count"] > 0, code
    # Complaints: anyone can report without an account and follow it with the tracking code.
    settings.PILAR_COMPLAINT_MIN_FILL_SECONDS = 0  # a person takes longer; the test does not wait
    form_token = client.get("/api/v1/complaints/form-token").json()["form_token"]
    report = {
        "kelurahan": "36.71.01.1001",
        "address": "Jl. Mawar 3",
        "description": "Lansia tinggal sendiri, sakit.",
        "subject_name": "Mbah Sarinah",
        "form_token": form_token,
    }
    sent = client.post("/api/v1/complaints/", report, content_type="application/json")
    assert sent.status_code == 201, sent.content
    code = sent.json()["tracking_code"]
    status = client.get(f"/api/v1/complaints/status/{code}").json()
    assert status["status"] == "baru" and "Sarinah" not in str(status)

    # Trainings (issue 5): the four events of the articles with their participants.
    events = {e["start_date"]: e for e in get("/api/v1/trainings/?limit=50")["results"]}
    expected = {"2018-03-27": 836, "2023-03-16": 987, "2023-05-15": 208, "2024-05-22": 995}
    assert {day: events[day]["participant_count"] for day in expected} == expected
    # Payroll: recent months approved by someone other than their maker; that maker cannot approve a draft.
    runs = get("/api/v1/payroll-runs/")["results"]
    approved = [r for r in runs if r["status"] == "disetujui"]
    assert len(approved) >= 3 and all(r["total"] == r["line_count"] * 500_000 for r in approved if r["rule"] == "full")
    draft = next(r for r in runs if r["status"] == "draf")
    refused = client.post(f"/api/v1/payroll-runs/{draft['id']}/approve", headers=token(client, draft["generated_by"]))
    assert refused.status_code in (403, 409)
