"""Verification in two steps: required for city-wide staff, enrolled at first sign-in, on pages and the API."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilar.accounts.mfa import recovery_digest, secret_b32
from pilar.audit.models import AuditEntry
from tests.conftest import PASSWORD
from tests.signin import TOTP_SECRET, enrol, totp_code

TOKEN = "/api/v1/auth/token"


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def token(client, username: str, **extra):
    data = {"username": username, "password": PASSWORD, **extra}
    return client.post(TOKEN, data, content_type="application/json")


@pytest.mark.parametrize("persona", ["operator", "admin_user", "pimpinan"])
def test_city_wide_staff_are_sent_to_enrol_after_the_password(request, persona):
    user, client = request.getfixturevalue(persona), Client()
    assert sign_in(client, user.username).status_code == 302
    answer = client.get(reverse("home"))
    assert answer.status_code == 302 and answer.url.startswith(reverse("mfa_enrol"))
    assert client.get("/pekerja/").url.startswith(reverse("mfa_enrol"))


def test_enrolment_confirms_with_a_code_and_shows_ten_recovery_codes_once(operator):
    client = Client()
    sign_in(client, "operator")
    page = client.get(reverse("mfa_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    assert secret_b32(device) in page and "<svg" in page
    assert "Kode tidak cocok" in client.post(reverse("mfa_enrol"), {"code": "000000"}).content.decode()
    done = client.post(reverse("mfa_enrol"), {"code": totp_code_for(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.mfa.enrolled", object_id=str(operator.pk)).exists()


def totp_code_for(device) -> str:
    device.confirmed = True  # totp_code() reads the confirmed device: lend it this one for a moment
    device.save(update_fields=["confirmed"])
    code = totp_code(device.user)
    device.confirmed = False
    device.save(update_fields=["confirmed"])
    return code


def test_an_enrolled_user_needs_the_code_after_the_password_and_a_wrong_one_is_refused(operator, settings):
    # a person takes longer than django-otp's 1-second wait after a wrong code to retype
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enrol(operator)
    client = Client()
    sign_in(client, "operator")
    assert client.get(reverse("home")).url.startswith(reverse("otp_verify"))
    wrong = client.post(reverse("otp_verify"), {"code": "123456"})
    assert "Kode salah" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("otp_verify"), {"code": totp_code(operator)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(operator):
    codes = enrol(operator)
    first, second = Client(), Client()
    sign_in(first, "operator")
    assert first.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("home")).status_code == 200
    sign_in(second, "operator")
    assert second.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 200
    assert second.get(reverse("home")).status_code == 302


def test_a_psm_needs_no_second_factor_but_may_enrol(client, psm_a):
    sign_in(client, "psm.a")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("mfa_enrol")).status_code == 200


def test_the_token_api_wants_the_code_from_an_mfa_user(client, operator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enrol(operator)
    missing = token(client, "operator")
    assert missing.status_code == 401 and "otp" in missing.json()["detail"]
    assert token(client, "operator", otp="000000").status_code == 401
    answer = token(client, "operator", otp=totp_code(operator))
    assert answer.status_code == 200
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    assert client.get("/api/v1/workers/", headers=headers).status_code == 200


def test_the_token_api_answers_403_aktifkan_mfa_before_enrolment(client, operator):
    answer = token(client, "operator", otp="123456")
    assert answer.status_code == 403 and "aktifkan MFA" in answer.json()["detail"]


def test_a_psm_gets_a_token_without_a_code(client, psm_a):
    assert token(client, "psm.a").status_code == 200


def test_an_anonymous_guesser_cannot_lock_out_the_admin_who_has_the_second_factor(admin_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    codes = enrol(admin_user)
    office = Client(REMOTE_ADDR="10.0.0.7")  # the guesser sits in the office too: the same address
    for _ in range(6):
        sign_in(office, "admin", "salah-sandi-123")
    assert sign_in(office, "admin").status_code == 429
    assert sign_in(office, "admin", otp="999999").status_code == 429
    answer = sign_in(office, "admin", otp=totp_code(admin_user))
    assert answer.status_code == 302
    assert office.get(reverse("home")).status_code == 200  # already verified: no second code asked
    api = token(Client(REMOTE_ADDR="10.0.0.7"), "admin", otp=codes[0])
    assert api.status_code == 200, api.json()


def test_an_admin_resets_a_users_mfa_and_it_is_audited(client, admin_user, operator):
    from pilar.accounts.services import mfa_reset

    enrol(operator)
    mfa_reset(user=operator, actor=admin_user, reason="ponsel hilang")
    assert not TOTPDevice.objects.filter(user=operator).exists()
    entry = AuditEntry.objects.get(action="accounts.mfa.reset")
    assert entry.actor == admin_user and entry.data["reason"] == "ponsel hilang"


def test_force_login_in_tests_completes_the_second_factor(client, operator):
    client.force_login(operator)
    assert client.get(reverse("home")).status_code == 200
    assert TOTP_SECRET


def test_recovery_codes_are_kept_only_as_keyed_hashes(operator):
    from django_otp.plugins.otp_static.models import StaticToken

    codes = enrol(operator)
    stored = set(StaticToken.objects.filter(device__user=operator).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert {recovery_digest(code) for code in codes} == stored


def test_codes_stored_in_clear_before_the_upgrade_are_hashed_by_the_migration_and_still_work(operator):
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    enrol(operator)
    device = StaticDevice.objects.get(user=operator)
    device.token_set.all().delete()
    StaticToken.objects.create(device=device, token="abcd2345")  # as an earlier Pilar stored it
    migration = importlib.import_module("pilar.accounts.migrations.0005_recovery_codes_hashed")
    migration.hash_plain_codes(apps, None)
    migration.hash_plain_codes(apps, None)  # a second run changes nothing
    assert list(device.token_set.values_list("token", flat=True)) == [recovery_digest("abcd2345")]
    client = Client()
    sign_in(client, "operator")
    assert client.post(reverse("otp_verify"), {"code": "ABCD 2345"}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_code_is_checked_outside_any_request_transaction(operator):
    """The code page runs without ATOMIC_REQUESTS: the device row lock must bring its own transaction (PostgreSQL
    refuses ``select_for_update`` in autocommit, which once turned every staff sign-in into a server error)."""
    from pilar.accounts.mfa import verify_code

    enrol(operator)
    assert verify_code(operator, totp_code(operator)) is not None
    assert verify_code(operator, "000000") is None
