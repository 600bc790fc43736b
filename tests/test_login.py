"""Signing in: Indonesian messages, a lock after repeated failures (django-axes), then the start page."""

import pytest
from django.test import Client
from django.urls import reverse

from pilar.accounts.models import Role
from tests.conftest import KEL_A, PASSWORD
from tests.factories import user_with_role

LOGIN = reverse("login")


def sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_in_indonesian(client, db):
    body = client.get(LOGIN).content.decode()
    assert '<html lang="id">' in body and "Masuk ke Pilar" in body
    assert 'href="#main"' in body  # the skip link


def test_wrong_password_is_refused_with_an_indonesian_message(client, operator):
    answer = sign_in(client, "operator", "salah-sandi-123")
    assert answer.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_five_failures_the_account_is_locked_even_with_the_right_password(client, operator, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        sign_in(client, "operator", "salah-sandi-123")
    answer = sign_in(client, "operator", PASSWORD)
    assert answer.status_code == 429
    assert "Akun dikunci sementara" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_is_per_account_not_for_everyone(client, operator, pimpinan):
    for _ in range(5):
        sign_in(client, "operator", "salah-sandi-123")
    assert sign_in(client, "pimpinan", PASSWORD).status_code == 302


def test_successful_login_goes_to_the_start_page_with_the_users_name_and_role(client, tksk_a):
    answer = sign_in(client, "tksk.a", PASSWORD)
    assert answer.status_code == 302 and answer.url == reverse("home")
    body = client.get(answer.url).content.decode()
    assert str(tksk_a) in body and "TKSK" in body
    assert f'action="{reverse("logout")}" method="post"' in body


@pytest.mark.parametrize("name", ["home", "password_change"])
def test_pages_send_an_anonymous_visitor_to_the_login_page(client, db, name):
    answer = client.get(reverse(name))
    assert answer.status_code == 302 and answer.url.startswith(LOGIN)


def test_logout_is_a_post_and_ends_the_session(client, operator):
    client.force_login(operator)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_changes_the_password_and_sees_the_confirmation(client, operator):
    client.force_login(operator)
    assert "Ubah kata sandi" in client.get(reverse("password_change")).content.decode()
    new = "Tangerang-Akhlakul-2026"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    answer = client.post(reverse("password_change"), data, follow=True)
    assert "Kata sandi Anda sudah diganti" in answer.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(new)


def test_the_login_page_shows_residents_the_way_to_report_without_an_account(client, city):
    body = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("complaints:submit")}"' in body and f'href="{reverse("complaints:status")}"' in body


def test_a_lock_holds_for_the_guessing_address_while_the_owner_signs_in_from_the_office(operator):
    attacker, office = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(5):
        sign_in(attacker, "operator", "salah-sandi-123")
    assert sign_in(attacker, "operator", PASSWORD).status_code == 429
    assert sign_in(office, "operator", PASSWORD).status_code == 302


def test_one_address_guessing_across_many_accounts_is_throttled(settings, city):
    settings.PILAR_LOGIN_ADDRESS_LIMIT = 6
    names = [f"pengguna{i}" for i in range(7)]
    for name in names:
        user_with_role(name, Role.PSM, region_code=KEL_A)
    sprayer = Client(REMOTE_ADDR="203.0.113.10")
    for name in names[:5]:  # one guess per account: no account reaches its own limit
        assert sign_in(sprayer, name, "Tangerang2024!").status_code == 200
    assert sign_in(sprayer, names[5], "Tangerang2024!").status_code == 429  # the address's sixth failure
    assert sign_in(sprayer, names[6], PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="10.0.0.6"), names[6], PASSWORD).status_code == 302


def test_the_api_throttles_an_address_across_usernames_too(settings, operator, pimpinan):
    settings.PILAR_LOGIN_ADDRESS_LIMIT = 4
    sprayer = Client(REMOTE_ADDR="203.0.113.11")
    for name in ["operator", "pimpinan", "operator", "pimpinan"]:
        sprayer.post("/api/v1/auth/token", {"username": name, "password": "x" * 12}, content_type="application/json")
    data = {"username": "pimpinan", "password": PASSWORD}
    assert sprayer.post("/api/v1/auth/token", data, content_type="application/json").status_code == 429
