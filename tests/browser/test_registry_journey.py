"""The verval journey in a real browser: a PSM proposes, the TKSK verifies, an operator validates.

A PSM of another kelurahan who opens the record's address gets the same 404 page as for a
missing record. Run on a desktop and on a 360-px phone, which must not scroll sideways.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from pilar.identity.models import Sex
from pilar.identity.nik import make_nik
from tests.browser.fixtures import confirm, login
from tests.conftest import KEC_A, KEL_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Abah Sarmili Peramban"
BORN = date(1949, 11, 3)
PHONE_WIDTH = 360


def field(page: Page, label: str):
    """The control labelled ``label`` (Django adds a ':' suffix to labels, and may mark required ones)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*:?\s*\*?\s*$"))


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways at {PHONE_WIDTH}px: scrollWidth={width}"


def propose_new_elderly_person(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/registri/")
    page.locator("main").get_by_role("link", name="Usulkan PPKS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Usulkan PPKS")
    field(page, "NIK").fill(make_nik(kecamatan_code=KEC_A, birth_date=BORN, sex=Sex.MALE, serial=731))
    field(page, "Nama lengkap").fill(NAME)
    field(page, "Jenis kelamin").select_option(Sex.MALE)
    field(page, "Tanggal lahir").fill(BORN.isoformat())
    field(page, "Alamat").fill("Jl. Ki Samaun Gg. Melati 7")
    field(page, "Kelurahan (alamat KTP)").select_option(KEL_A)
    page.get_by_role("button", name="Simpan dan lanjutkan").click()

    expect(page.locator(".messages")).to_contain_text("Data orang tersimpan")
    expect(page.locator("main")).to_contain_text(NAME)
    # The PSM records only in its own kelurahan, chosen already from the person's KTP address.
    expect(field(page, "Kelurahan").locator("option:checked")).to_have_text(re.compile("Sukarasa"))
    field(page, "Kategori PPKS").select_option(label="Lanjut Usia Telantar")
    field(page, "Keterangan").fill("Tinggal sendiri, tidak ada keluarga yang merawat.")
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page).to_have_url(re.compile(r"/registri/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Usulan PPKS tersimpan")


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (PHONE_WIDTH, 740)], ids=["desktop", "phone-360px"])
def test_psm_proposes_tksk_verifies_operator_validates_and_other_psm_gets_404(
    live_server, psm_a, psm_b, tksk_a, operator, new_page, width, height
):
    phone = width == PHONE_WIDTH
    base = live_server.url

    page = new_page(width, height)
    login(page, base, "psm.a")
    propose_new_elderly_person(page, base)
    record_url = page.url
    expect(page.locator("main .lead")).to_contain_text("Diusulkan")
    if phone:
        assert_no_horizontal_scroll(page)

    page = new_page(width, height)
    login(page, base, "tksk.a")
    page.goto(f"{base}/registri/")
    page.locator("#results").get_by_role("link", name=NAME).click()
    expect(page).to_have_url(record_url)
    field(page, "Hasil verifikasi lapangan").select_option(label="Ditemukan")
    page.get_by_role("button", name="Simpan verifikasi").click()
    expect(page.locator(".messages")).to_contain_text("Hasil verifikasi lapangan tersimpan")
    expect(page.locator("main .lead")).to_contain_text("Diverifikasi")

    page = new_page(width, height)
    login(page, base, "operator")
    page.goto(record_url)
    confirm(page, "Tetapkan", "Ya, tetapkan")
    expect(page.locator(".messages")).to_contain_text("Data PPKS ditetapkan")
    expect(page.locator("main .lead")).to_contain_text("Ditetapkan")
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("Diusulkan")
    expect(steps.nth(1)).to_contain_text("Ditemukan")
    expect(steps.nth(2)).to_contain_text("Ditetapkan")
    for i, user in enumerate((psm_a, tksk_a, operator)):
        expect(steps.nth(i)).to_contain_text(str(user))
    if phone:
        assert_no_horizontal_scroll(page)
        page.goto(f"{base}/registri/")
        expect(page.locator("#results")).to_contain_text(NAME)
        assert_no_horizontal_scroll(page)

    page = new_page(width, height)
    login(page, base, "psm.b")
    answer = page.goto(record_url)
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.locator("main")).not_to_contain_text(NAME)
