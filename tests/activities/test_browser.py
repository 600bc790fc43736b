"""The monthly report in a real browser: a PSM fills it in on a 360-px phone and submits it, the TKSK
returns it with a reason, the PSM corrects and resubmits, the TKSK accepts and reads the recap.
A PSM of another kecamatan who opens the report's address gets the 404 page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.fixtures import login
from tests.browser.test_registry_journey import PHONE_WIDTH, assert_no_horizontal_scroll, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_report(page: Page, base: str, month: str) -> None:
    page.goto(f"{base}/kegiatan/")
    page.locator("main").get_by_role("link", name="Buat laporan").click()
    field(page, "Bulan laporan").fill(month)
    field(page, "Jumlah kunjungan rumah").fill("11")
    field(page, "Sosialisasi program").fill("3")
    field(page, "Catatan lain").fill("Pendampingan lansia RW 03.")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".messages")).to_contain_text("Laporan tersimpan sebagai draf")


def test_psm_reports_on_a_phone_tksk_returns_then_accepts(live_server, psm_a, psm_b, tksk_a, new_page):
    base = live_server.url
    month = f"{timezone.localdate():%Y-%m}"

    phone = new_page(PHONE_WIDTH, 740)
    login(phone, base, "psm.a")
    fill_report(phone, base, month)
    report_url = phone.url
    assert_no_horizontal_scroll(phone)
    field(phone, "Tanggal kunjungan").fill(f"{month}-01")
    field(phone, "Tempat / alamat").fill("Rumah Ibu Sari, RT 02")
    phone.get_by_role("button", name="Tambah kunjungan").click()
    expect(phone.locator("main")).to_contain_text("Rumah Ibu Sari, RT 02")
    phone.get_by_role("button", name="Ajukan laporan").click()
    expect(phone.locator(".messages")).to_contain_text("Laporan diajukan ke TKSK")
    expect(phone.locator("main .lead")).to_contain_text("Diajukan")
    assert_no_horizontal_scroll(phone)

    desk = new_page()
    login(desk, base, "tksk.a")
    desk.goto(report_url)
    field(desk, "Alasan dikembalikan").fill("Tambahkan catatan sosialisasi.")
    desk.get_by_role("button", name="Kembalikan").click()
    expect(desk.locator("main .lead")).to_contain_text("Dikembalikan")

    phone.goto(report_url)
    expect(phone.locator("main")).to_contain_text("Tambahkan catatan sosialisasi.")
    phone.get_by_role("link", name="Ubah isian").click()
    field(phone, "Catatan sosialisasi").fill("Sosialisasi PKH di posyandu.")
    phone.get_by_role("button", name="Simpan draf").click()
    phone.get_by_role("button", name="Ajukan laporan").click()
    expect(phone.locator("main .lead")).to_contain_text("Diajukan")

    desk.goto(report_url)
    desk.get_by_role("button", name="Terima", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("Laporan diterima")
    steps = desk.locator("ol.timeline > li")
    expect(steps).to_have_count(5)  # created, submitted, returned, submitted, accepted
    desk.goto(f"{base}/kegiatan/rekap/?period={month}")
    sukarasa = desk.locator("tbody tr", has_text="Sukarasa")
    expect(sukarasa.locator("td").nth(2)).to_have_text("1")  # accepted
    expect(sukarasa.locator("td").nth(4)).to_have_text("11")  # visits

    phone.goto(f"{base}/kegiatan/rekap/?period={month}")
    assert_no_horizontal_scroll(phone)
    phone.goto(f"{base}/kegiatan/roadshow/")
    assert_no_horizontal_scroll(phone)

    other = new_page(PHONE_WIDTH, 740)
    login(other, base, "psm.b")
    answer = other.goto(report_url)
    assert answer is not None and answer.status == 404
    expect(other.locator("main")).not_to_contain_text(re.compile("Pendampingan lansia"))
