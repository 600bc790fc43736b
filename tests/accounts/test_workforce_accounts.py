"""Accounts for the workforce from the registry: created linked, first step a password change, following the worker."""

from datetime import date, timedelta

from django.utils import timezone

from pilar.accounts.models import RoleAssignment
from pilar.audit.models import AuditEntry
from pilar.workers import services
from tests.conftest import KEL_A, KEL_B
from tests.factories import WorkerFactory, region

NEW = "Kembang-Sepatu-Merah-2031"


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def issue(api_as, admin_user, worker):
    return api_as(admin_user).post(f"/api/v1/workers/{worker.pk}/account")


def test_the_admin_creates_a_linked_account_that_must_first_change_its_password(client, api_as, admin_user, city):
    worker = WorkerFactory(region=region(KEL_A))
    answer = issue(api_as, admin_user, worker)
    assert answer.status_code == 201
    body = answer.json()
    assert body["username"] == "psm.3671011001.1" and len(body["temporary_password"]) >= 12
    worker.refresh_from_db()
    assert worker.user.username == body["username"] and worker.user.must_change_password

    creds = {"username": body["username"], "password": body["temporary_password"]}
    limited = client.post("/api/v1/auth/token", creds, content_type="application/json").json()
    assert limited["password_change_required"] is True
    refused = client.get("/api/v1/activity-reports/", headers=bearer(limited["token"]))
    assert refused.status_code == 403 and refused.json()["password_change_required"]

    change = {"username": body["username"], "old_password": body["temporary_password"], "new_password": NEW}
    assert client.post("/api/v1/auth/password", change, content_type="application/json").status_code == 200
    key = client.post("/api/v1/auth/token", {**creds, "password": NEW}, content_type="application/json").json()
    assert client.get("/api/v1/activity-reports/", headers=bearer(key["token"])).status_code == 200


def test_the_limited_token_itself_can_change_the_password_and_then_works(client, api_as, admin_user, city):
    body = issue(api_as, admin_user, WorkerFactory(region=region(KEL_A))).json()
    creds = {"username": body["username"], "password": body["temporary_password"]}
    limited = client.post("/api/v1/auth/token", creds, content_type="application/json").json()["token"]
    change = {"old_password": body["temporary_password"], "new_password": NEW}
    answer = client.post("/api/v1/auth/password", change, content_type="application/json", headers=bearer(limited))
    assert answer.status_code == 200
    assert client.get("/api/v1/activity-reports/", headers=bearer(limited)).status_code == 200


def test_a_weak_new_password_is_refused_with_the_field_named(client, api_as, admin_user, city):
    body = issue(api_as, admin_user, WorkerFactory(region=region(KEL_A))).json()
    change = {"username": body["username"], "old_password": body["temporary_password"], "new_password": "Tangerang1"}
    answer = client.post("/api/v1/auth/password", change, content_type="application/json")
    assert answer.status_code == 400 and "new_password" in answer.json()["errors"]


def test_reissuing_gives_a_new_temporary_password_and_ends_the_old_tokens(client, api_as, admin_user, city):
    worker = WorkerFactory(region=region(KEL_A))
    first = issue(api_as, admin_user, worker).json()
    again = issue(api_as, admin_user, worker)
    assert again.status_code == 200 and again.json()["username"] == first["username"]
    assert again.json()["temporary_password"] != first["temporary_password"]


def test_only_the_admin_issues_accounts_and_not_outside_the_callers_area(api_as, operator, tksk_a, city):
    worker_a, worker_b = WorkerFactory(region=region(KEL_A)), WorkerFactory(region=region(KEL_B))
    assert api_as(operator).post(f"/api/v1/workers/{worker_a.pk}/account").status_code == 403
    assert api_as(tksk_a).post(f"/api/v1/workers/{worker_b.pk}/account").status_code == 404
    assert api_as(None).post(f"/api/v1/workers/{worker_a.pk}/account").status_code == 401


def test_a_stopped_worker_via_patch_loses_the_account_and_its_tokens(client, api_as, admin_user, operator, psm_a):
    key = api_as(psm_a)  # a client with a valid token of the PSM
    assert key.get("/api/v1/activity-reports/").status_code == 200
    worker = psm_a.worker
    answer = api_as(operator).patch(
        f"/api/v1/workers/{worker.pk}", {"status": "berhenti"}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.json()
    assert key.get("/api/v1/activity-reports/").status_code == 401
    psm_a.refresh_from_db()
    assert not psm_a.is_active
    assert AuditEntry.objects.filter(action="accounts.user.deactivated", object_id=str(psm_a.pk)).exists()


def test_a_moved_psm_account_follows_to_the_new_kelurahan(operator, psm_a):
    start = timezone.localdate() + timedelta(days=1)
    services.worker_transfer(
        worker=psm_a.worker, actor=operator, region=region(KEL_B), start_date=start, confirm_address=True
    )
    grants = RoleAssignment.objects.current(start).filter(user=psm_a)
    assert [g.region.code for g in grants] == [KEL_B]
    assert AuditEntry.objects.filter(action="accounts.user.area_followed").exists()
    assert date.today()
