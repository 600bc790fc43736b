"""The program journey in a real browser: a PSM reads who qualifies, finds a family and proposes it for PKH;
an operator approves and records the delivery; the PSM sees the outcome. Desktop and a 360-px phone."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import login
from tests.browser.test_registry_journey import PHONE_WIDTH, assert_no_horizontal_scroll, field
from tests.programs.makers import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (PHONE_WIDTH, 740)], ids=["desktop", "phone-360px"])
def test_psm_proposes_a_family_for_pkh_and_operator_approves_and_delivers(
    live_server,
    psm_a,
    operator,
    new_page,
    width,
    height,
):
    phone, base = width == PHONE_WIDTH, live_server.url
    family = record()
    head = family.household.head.name

    page = new_page(width, height)
    login(page, base, "psm.a")
    page.goto(f"{base}/program/")
    page.locator("main").get_by_role("link", name="Program Keluarga Harapan (PKH)").click()
    expect(page.locator("main")).to_contain_text("Cara mendaftar")
    page.get_by_role("link", name="Versi cetak").click()
    expect(page.locator("main")).to_contain_text("Siapa yang berhak")
    if phone:
        assert_no_horizontal_scroll(page)

    page.goto(f"{base}/program/penerima/usul/")
    field(page, "Nama atau NIK (orang atau kepala keluarga)").fill(head)
    page.locator("main form").get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Pilih").first.click()
    expect(page.locator("main")).to_contain_text("Kelayakan per program")
    expect(page.locator("main")).to_contain_text("bukan sasaran program")  # e.g. Tangerang Cerdas is for children
    field(page, "Program").select_option(label="Program Keluarga Harapan (PKH)")
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page).to_have_url(re.compile(r"/program/penerima/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Usulan penerima program tersimpan")
    enrollment_url = page.url
    if phone:
        assert_no_horizontal_scroll(page)

    page = new_page(width, height)
    login(page, base, "operator")
    page.goto(enrollment_url)
    page.locator("main form").filter(has=page.get_by_role("button", name="Setujui")).get_by_role(
        "button", name="Setujui"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Usulan disetujui")
    page.locator("#id_deliver_amount").fill("750000")
    page.locator("#id_deliver_on").fill(date.today().isoformat())
    page.get_by_role("button", name="Catat penyaluran").click()
    expect(page.locator(".messages")).to_contain_text("Penyaluran tercatat")
    expect(page.locator("main")).to_contain_text("Rp 750.000")

    page = new_page(width, height)
    login(page, base, "psm.a")
    page.goto(f"{base}/program/penerima/?program=pkh")
    expect(page.locator("#results")).to_contain_text(head)
    expect(page.locator("#results")).to_contain_text("Disalurkan")
    if phone:
        assert_no_horizontal_scroll(page)
