"""API tokens can be seen and revoked; a password change, deactivation or role change ends them; use is logged."""

from django.urls import reverse

from pilar.accounts.models import ApiToken, Role, RoleAssignment
from pilar.audit.models import AuditEntry
from tests.conftest import PASSWORD
from tests.signin import enrol, totp_code


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_logout_revokes_the_token_it_is_called_with(client, operator):
    key, other = ApiToken.issue(operator), ApiToken.issue(operator)
    assert client.post("/api/v1/auth/logout", headers=bearer(key)).status_code == 200
    assert client.get("/api/v1/workers/", headers=bearer(key)).status_code == 401
    assert client.get("/api/v1/workers/", headers=bearer(other)).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.token.revoked", data__reason="logout").count() == 1


def test_a_user_lists_only_their_own_valid_tokens(client, operator, pimpinan):
    key = ApiToken.issue(operator)
    ApiToken.issue(operator)
    ApiToken.issue(pimpinan)
    revoked = ApiToken.issue(operator)
    client.post("/api/v1/auth/logout", headers=bearer(revoked))
    listed = client.get("/api/v1/auth/tokens", headers=bearer(key)).json()
    assert len(listed) == 2 and {t["user"] for t in listed} == {"operator"}
    assert [t["current"] for t in listed].count(True) == 1


def test_a_user_revokes_an_own_token_but_not_someone_elses(client, operator, pimpinan):
    key, spare = ApiToken.issue(operator), ApiToken.issue(operator)
    theirs = ApiToken.issue(pimpinan)
    spare_id = ApiToken.objects.get(key_hash=ApiToken.hash(spare)).pk
    theirs_id = ApiToken.objects.get(key_hash=ApiToken.hash(theirs)).pk
    assert client.delete(f"/api/v1/auth/tokens/{theirs_id}", headers=bearer(key)).status_code == 404
    assert client.get("/api/v1/workers/", headers=bearer(theirs)).status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{spare_id}", headers=bearer(key)).status_code == 200
    assert client.get("/api/v1/workers/", headers=bearer(spare)).status_code == 401


def test_an_admin_revokes_anyones_token(client, admin_user, psm_a):
    theirs = ApiToken.issue(psm_a)
    theirs_id = ApiToken.objects.get(key_hash=ApiToken.hash(theirs)).pk
    answer = client.delete(f"/api/v1/auth/tokens/{theirs_id}", headers=bearer(ApiToken.issue(admin_user)))
    assert answer.status_code == 200
    assert client.get("/api/v1/activity-reports/", headers=bearer(theirs)).status_code == 401
    assert ApiToken.objects.get(pk=theirs_id).revoked_reason == ApiToken.RevokeReason.ADMIN


def test_changing_the_password_on_the_page_ends_the_api_tokens(client, operator):
    key = ApiToken.issue(operator)
    client.force_login(operator)
    new = "Kembang-Sepatu-Merah-2031"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post(reverse("password_change"), data).status_code == 302
    assert client.get("/api/v1/workers/", headers=bearer(key)).status_code == 401


def test_changing_the_password_through_the_api_keeps_only_the_calling_token(client, operator):
    caller, other = ApiToken.issue(operator), ApiToken.issue(operator)
    data = {"old_password": PASSWORD, "new_password": "Kembang-Sepatu-Merah-2031"}
    answer = client.post("/api/v1/auth/password", data, content_type="application/json", headers=bearer(caller))
    assert answer.status_code == 200
    assert client.get("/api/v1/workers/", headers=bearer(caller)).status_code == 200
    assert client.get("/api/v1/workers/", headers=bearer(other)).status_code == 401


def _superuser(user):
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _admin_post(client, user, *, active: bool = True, role: str | None = None):
    """Save ``user`` on the admin site's change form, as a person clicking "Simpan" would."""
    rows = list(RoleAssignment.objects.filter(user=user))
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "is_active": "on" if active else "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role_assignments-TOTAL_FORMS": str(len(rows)),
        "role_assignments-INITIAL_FORMS": str(len(rows)),
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {
            f"role_assignments-{i}-id": str(row.pk),
            f"role_assignments-{i}-user": str(user.pk),
            f"role_assignments-{i}-role": role or row.role,
            f"role_assignments-{i}-region": str(row.region_id or ""),
            f"role_assignments-{i}-valid_from": row.valid_from.isoformat(),
            # the hidden initial value the admin sends for a field with a callable default
            f"initial-role_assignments-{i}-valid_from": row.valid_from.isoformat(),
        }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_deactivating_a_user_in_the_admin_site_ends_the_tokens(client, admin_user, psm_a):
    key = ApiToken.issue(psm_a)
    client.force_login(_superuser(admin_user))
    assert _admin_post(client, psm_a, active=False).status_code == 302
    assert client.get("/api/v1/activity-reports/", headers=bearer(key)).status_code == 401
    assert ApiToken.objects.get(key_hash=ApiToken.hash(key)).revoked_reason == ApiToken.RevokeReason.DEACTIVATED


def test_a_role_change_in_the_admin_site_ends_the_tokens(client, admin_user, psm_a):
    key = ApiToken.issue(psm_a)
    client.force_login(_superuser(admin_user))
    assert _admin_post(client, psm_a, role=Role.TKSK).status_code == 302
    assert RoleAssignment.objects.get(user=psm_a).role == Role.TKSK
    assert client.get("/api/v1/workers/", headers=bearer(key)).status_code == 401


def test_saving_a_user_unchanged_in_the_admin_site_keeps_the_tokens(client, admin_user, psm_a):
    key = ApiToken.issue(psm_a)
    client.force_login(_superuser(admin_user))
    assert _admin_post(client, psm_a).status_code == 302
    assert client.get("/api/v1/activity-reports/", headers=bearer(key)).status_code == 200


def test_token_use_is_logged_with_time_and_address(client, operator):
    key = ApiToken.issue(operator)
    client.get("/api/v1/workers/", headers=bearer(key), REMOTE_ADDR="10.20.30.40")
    client.get("/api/v1/workers/", headers=bearer(key), REMOTE_ADDR="10.20.30.40")
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert token.last_used_at is not None and token.last_used_ip == "10.20.30.40"
    used = AuditEntry.objects.filter(action="accounts.token.used", object_id=str(token.pk))
    assert used.count() == 1 and used.get().data["ip"] == "10.20.30.40"


def test_issuing_a_token_is_audited(client, operator):
    enrol(operator)
    data = {"username": "operator", "password": PASSWORD, "otp": totp_code(operator)}
    assert client.post("/api/v1/auth/token", data, content_type="application/json").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.token.issued", actor=operator).count() == 1
