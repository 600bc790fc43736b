"""Verification in two steps in a real browser: an operator enrols an authenticator at first sign-in, signs out,
signs in with a code; a wrong code is refused; a recovery code works once."""

import re

import pytest
from playwright.sync_api import Page, expect

from pilar.accounts.mfa import key_from_b32
from tests.browser.test_registry_journey import field
from tests.conftest import PASSWORD
from tests.signin import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page: Page, base: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    field(page, "Nama pengguna").fill("operator")
    page.get_by_label(re.compile(r"^\s*(Kata sandi|Sandi)\s*:?\s*\*?\s*$")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()


def code_step(page: Page, code: str) -> None:
    expect(page).to_have_url(re.compile(r"/akun/masuk/kode/"))
    field(page, "Kode").fill(code)
    page.locator("main").get_by_role("button", name="Verifikasi").click()


def sign_out(page: Page) -> None:
    page.locator("header .account-menu > summary").click()
    page.locator("header").get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))


def code_from_secret(secret: str) -> str:
    from django_otp.oath import totp  # noqa: PLC0415

    return f"{totp(bytes.fromhex(key_from_b32(secret))):06d}"


def test_operator_enrols_an_authenticator_then_signs_in_with_codes(live_server, new_page, operator):
    page, base = new_page(), live_server.url
    password_step(page, base)
    expect(page).to_have_url(re.compile(r"/akun/mfa/daftar/"))
    expect(page.locator("main svg")).to_be_visible()  # the QR code
    secret = page.get_by_test_id("totp-secret").inner_text()
    field(page, "Kode").fill(code_from_secret(secret))
    page.get_by_role("button", name="Aktifkan").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/akun/" not in page.url
    sign_out(page)

    password_step(page, base)
    code_step(page, "000000")
    expect(page.get_by_text("Kode salah atau sudah dipakai")).to_be_visible()
    page.wait_for_timeout(1200)  # django-otp makes a device wait a second after a wrong code
    code_step(page, totp_code(operator))
    expect(page).not_to_have_url(re.compile(r"/akun/"))
    sign_out(page)

    password_step(page, base)
    code_step(page, codes[0])
    expect(page).not_to_have_url(re.compile(r"/akun/"))
    expect(page.get_by_text("Kode pemulihan terpakai; tersisa 9.")).to_be_visible()
    sign_out(page)

    password_step(page, base)
    code_step(page, codes[0])
    expect(page.get_by_text("Kode salah atau sudah dipakai")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/akun/masuk/kode/"))
