"""Onboarding in a real browser: the admin creates accounts for all PSM of one kelurahan from the workforce
list and downloads their login letters; one of those PSM signs in with the temporary password, is made to
choose a password, and submits a monthly report."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.activities.test_browser import fill_report
from tests.browser.fixtures import login
from tests.browser.test_registry_journey import PHONE_WIDTH, field
from tests.conftest import KEC_A, KEL_A, KEL_B
from tests.factories import WorkerFactory, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kembang-Sepatu-Merah-2031"


def test_admin_onboards_a_kelurahans_psm_and_one_reports(live_server, new_page, admin_user, tksk_a, city, tmp_path):
    base = live_server.url
    for _ in range(3):
        WorkerFactory(region=region(KEL_A))
    WorkerFactory(region=region(KEL_B))

    desk = new_page()
    login(desk, base, "admin")
    desk.goto(f"{base}/pekerja/?kecamatan={KEC_A}&kelurahan={KEL_A}&status=aktif")
    desk.get_by_role("button", name="Buat akun untuk semua yang aktif tanpa akun (sesuai saringan)").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Akun pekerja dibuat")
    rows = desk.locator("main tbody tr")
    expect(rows).to_have_count(3)
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Unduh surat akun (PDF)").click()
    letters = tmp_path / "surat.pdf"
    download.value.save_as(letters)
    assert letters.read_bytes().startswith(b"%PDF") and download.value.suggested_filename == "surat-akun-pilar.pdf"
    username = rows.nth(0).locator("code").nth(0).inner_text()
    temporary = rows.nth(0).locator("code").nth(1).inner_text()
    assert re.fullmatch(r"psm\.3671011001\.\d", username)

    phone = new_page(PHONE_WIDTH, 740)
    phone.goto(f"{base}/akun/masuk/")
    field(phone, "Nama pengguna").fill(username)
    phone.get_by_label(re.compile(r"^\s*(Kata sandi|Sandi)\s*:?\s*\*?\s*$")).fill(temporary)
    phone.locator("main").get_by_role("button", name="Masuk").click()
    expect(phone).to_have_url(re.compile(r"/akun/sandi/"))
    phone.goto(f"{base}/kegiatan/")  # nothing else opens before the password is changed
    expect(phone).to_have_url(re.compile(r"/akun/sandi/"))
    phone.locator("#id_old_password").fill(temporary)
    phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    phone.locator("main").get_by_role("button", name="Simpan").click()
    expect(phone).to_have_url(re.compile(r"/akun/sandi/selesai/"))

    month = f"{timezone.localdate():%Y-%m}"
    fill_report(phone, base, month)
    field(phone, "Tanggal kunjungan").fill(f"{month}-01")
    field(phone, "Tempat / alamat").fill("Rumah Pak Darta, RT 04")
    phone.get_by_role("button", name="Tambah kunjungan").click()
    phone.get_by_role("button", name="Ajukan laporan").click()
    expect(phone.locator(".messages")).to_contain_text("Laporan diajukan ke TKSK")
