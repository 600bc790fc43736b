"""A referral in a real browser: the PSM sends it from the case, the Dinkes user accepts and completes it,
and the case's timeline shows every step. The Dinkes inbox must fit a 360-px phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import login
from tests.browser.test_registry_journey import PHONE_WIDTH, assert_no_horizontal_scroll, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_referral_to_dinkes_from_sending_to_completion(live_server, new_page, case_a, dinkes, opd_user):
    psm = new_page()
    login(psm, live_server.url, "psm.a")
    psm.goto(f"{live_server.url}{case_a.get_absolute_url()}")
    psm.get_by_role("link", name="Kirim rujukan ke OPD").click()
    field(psm, "OPD tujuan").select_option("dinkes")
    field(psm, "Alasan rujukan").fill("Lansia perlu pemeriksaan tekanan darah di rumah.")
    psm.get_by_role("button", name="Kirim rujukan").click()
    expect(psm.locator(".messages")).to_contain_text("Rujukan terkirim ke Dinas Kesehatan")

    agency = new_page(PHONE_WIDTH, 740)
    login(agency, live_server.url, "opd.dinkes")
    agency.goto(f"{live_server.url}/rujukan/")
    expect(agency.get_by_role("heading", level=1)).to_have_text("Rujukan masuk")
    assert_no_horizontal_scroll(agency)
    agency.locator("main table").get_by_role("link", name=re.compile(r"^#\d+$")).click()
    expect(agency.locator("main")).to_contain_text("Lansia perlu pemeriksaan tekanan darah")
    expect(agency.locator("main")).not_to_contain_text("RAHASIA-RINGKASAN")
    agency.get_by_role("button", name="Terima").click()
    expect(agency.locator(".messages")).to_contain_text("Rujukan diterima.")
    agency.get_by_role("button", name="Tandai diproses").click()
    field(agency, "Hasil penanganan").fill("Tekanan darah diperiksa; dijadwalkan kontrol di puskesmas.")
    agency.get_by_role("button", name="Selesai").click()
    expect(agency.locator(".messages")).to_contain_text("Rujukan selesai")
    assert_no_horizontal_scroll(agency)

    psm.goto(f"{live_server.url}{case_a.get_absolute_url()}")
    timeline = psm.locator("main")
    for step in ("Dikirim", "Diterima", "Mulai diproses", "Selesai"):
        expect(timeline).to_contain_text(f"Rujukan ke Dinas Kesehatan: {step}")
