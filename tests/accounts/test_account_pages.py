"""The Admin Dinsos's account pages and the workforce's accounts with their login letters."""

import pytest
from django.urls import reverse

from pilar.accounts.models import ApiToken, LoginSession, Role, User
from pilar.audit.models import AuditEntry
from tests.conftest import KEC_A, KEL_A, KEL_B, PASSWORD
from tests.factories import WorkerFactory, region


@pytest.mark.parametrize("name", ["accounts:list", "accounts:new"])
def test_account_pages_send_an_anonymous_visitor_to_the_login_page(client, db, name):
    answer = client.get(reverse(name))
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "tksk_a", "psm_a", "pimpinan"])
def test_only_the_admin_opens_the_account_pages(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:list")).status_code == 403
    assert client.post(reverse("accounts:workforce_issue"), {"scope": "all"}).status_code == 403


def test_the_admin_filters_accounts_by_role_area_and_state(client, admin_user, psm_a, psm_b, tksk_a):
    client.force_login(admin_user)
    listed = client.get(reverse("accounts:list"), {"role": Role.PSM, "area": KEC_A}).context["page"].object_list
    assert [u.username for u in listed] == ["psm.a"]
    User.objects.filter(pk=psm_b.pk).update(is_active=False)
    inactive = client.get(reverse("accounts:list"), {"state": "nonaktif"}).context["page"].object_list
    assert [u.username for u in inactive] == ["psm.b"]


def test_the_admin_creates_a_staff_account_and_sees_the_temporary_password_once(client, admin_user):
    client.force_login(admin_user)
    data = {"username": "keu.rina", "full_name": "Rina Keuangan", "role": Role.KEUANGAN}
    answer = client.post(reverse("accounts:new"), data)
    password = answer.context["password"]
    user = User.objects.get(username="keu.rina")
    assert user.must_change_password and user.check_password(password)
    assert AuditEntry.objects.filter(action="accounts.user.created", object_id=str(user.pk)).exists()
    refused = client.post(reverse("accounts:new"), {**data, "role": Role.PSM})
    assert "sudah dipakai" in refused.content.decode() or "wajib punya wilayah" in refused.content.decode()


def test_a_psm_account_without_a_kelurahan_is_refused_with_the_field_named(client, admin_user):
    client.force_login(admin_user)
    answer = client.post(reverse("accounts:new"), {"username": "psm.x", "full_name": "X", "role": Role.PSM})
    assert "PSM dan TKSK wajib punya wilayah." in answer.content.decode()
    assert not User.objects.filter(username="psm.x").exists()


def test_deactivating_ends_sessions_and_tokens(client, admin_user, psm_a):
    from django.test import Client

    own = Client()
    own.post(reverse("login"), {"username": "psm.a", "password": PASSWORD})
    assert LoginSession.objects.filter(user=psm_a).count() == 1
    key = ApiToken.issue(psm_a)
    client.force_login(admin_user)
    client.post(reverse("accounts:action", args=[psm_a.pk]), {"action": "deactivate"})
    assert own.get(reverse("home")).status_code == 302
    assert client.get("/api/v1/activity-reports/", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert not LoginSession.objects.filter(user=psm_a).exists()


def test_a_password_reset_forces_a_change_at_the_next_sign_in(client, admin_user, psm_a):
    from django.test import Client

    client.force_login(admin_user)
    answer = client.post(reverse("accounts:action", args=[psm_a.pk]), {"action": "reset_password"})
    password = answer.context["password"]
    person = Client()
    person.post(reverse("login"), {"username": "psm.a", "password": password})
    answer = person.get(reverse("activities:list"))
    assert answer.status_code == 302 and answer.url.startswith(reverse("password_change"))


def test_accounts_for_all_active_psm_of_a_kelurahan_and_their_letters(client, admin_user, city):
    mine = [WorkerFactory(region=region(KEL_A)) for _ in range(3)]
    WorkerFactory(region=region(KEL_B))
    client.force_login(admin_user)
    answer = client.post(reverse("accounts:workforce_issue"), {"scope": "all", "kecamatan": KEC_A, "kelurahan": KEL_A})
    assert len(answer.context["issued"]) == 3
    assert sorted(i.username for i in answer.context["issued"]) == [f"psm.3671011001.{n}" for n in (1, 2, 3)]
    for worker in mine:
        worker.refresh_from_db()
        assert worker.user is not None and worker.user.must_change_password
    pdf = client.get(reverse("accounts:workforce_letters"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    again = client.post(reverse("accounts:workforce_issue"), {"scope": "all", "kelurahan": KEL_A, "kecamatan": KEC_A})
    assert again.status_code == 302  # nobody left without an account


def test_accounts_for_the_ticked_workers_only(client, admin_user, city):
    ticked, other = WorkerFactory(region=region(KEL_A)), WorkerFactory(region=region(KEL_A))
    client.force_login(admin_user)
    answer = client.post(reverse("accounts:workforce_issue"), {"scope": "selected", "worker": [ticked.pk]})
    assert [i.worker.pk for i in answer.context["issued"]] == [ticked.pk]
    other.refresh_from_db()
    assert other.user is None


def test_the_admin_sees_last_login_sessions_and_tokens_and_ends_them_each_audited(client, admin_user, psm_a):
    from django.test import Client

    own = Client()
    own.post(reverse("login"), {"username": "psm.a", "password": PASSWORD})
    key = ApiToken.issue(psm_a)
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    client.force_login(admin_user)
    page = client.get(reverse("accounts:detail", args=[psm_a.pk])).content.decode()
    assert "belum pernah" not in page  # the last login is shown as a date
    assert "Akhiri semua sesi" in page and f'name="token" value="{token.pk}"' in page

    client.post(reverse("accounts:action", args=[psm_a.pk]), {"action": "revoke_token", "token": token.pk})
    assert client.get("/api/v1/activity-reports/", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    client.post(reverse("accounts:action", args=[psm_a.pk]), {"action": "end_sessions"})
    assert own.get(reverse("home")).status_code == 302 and not LoginSession.objects.filter(user=psm_a).exists()
    assert psm_a.is_active and User.objects.get(pk=psm_a.pk).is_active  # ending sessions is not deactivating
    actions = set(AuditEntry.objects.filter(object_id=str(psm_a.pk)).values_list("action", flat=True))
    assert {"accounts.sessions.ended"} <= actions
    assert AuditEntry.objects.filter(action="accounts.token.revoked", object_id=str(token.pk)).exists()
