"""An operator registers a PSM through the pages, in a real browser, on a desktop and on a phone."""

import re
from datetime import date
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from pilar.identity.models import Sex
from pilar.identity.nik import make_nik
from tests.browser.fixtures import login
from tests.conftest import KEC_A, KEL_A, KEL_B

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Siti Nurhaliza Peramban"
TRUE_BIRTH = date(1985, 3, 12)
WRONG_BIRTH = date(1986, 7, 20)
PHONE_WIDTH = 360


def field(page: Page, label: str, *alternatives: str):
    """The control labelled ``label`` (Django adds a ':' suffix to labels, and may mark required ones)."""
    names = "|".join(re.escape(name) for name in (label, *alternatives))
    return page.get_by_label(re.compile(rf"^\s*(?:{names})\s*:?\s*\*?\s*$"))


def field_group(page: Page, label: str):
    """The form row that holds the control labelled ``label``: its label, errors and input."""
    return page.locator("div.field").filter(has=field(page, label))


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways at {PHONE_WIDTH}px: scrollWidth={width}"


def choose_posting_in_sukarasa(page: Page) -> None:
    field(page, "Peran").select_option("PSM")
    kelurahan = field(page, "Kelurahan tugas (PSM)")
    # The kelurahan options are refreshed by htmx when the kecamatan changes.
    with page.expect_response(re.compile(r"/wilayah/kelurahan/")):
        field(page, "Kecamatan tugas").select_option(KEC_A)
    expect(kelurahan.locator(f'option[value="{KEL_B}"]')).to_have_count(0)
    expect(kelurahan.locator(f'option[value="{KEL_A}"]')).to_have_text(re.compile("Sukarasa"))
    kelurahan.select_option(KEL_A)


def fill_person(page: Page, nik: str, birth_date: date) -> None:
    field(page, "NIK").fill(nik)
    field(page, "Nama lengkap").fill(NAME)
    field(page, "Jenis kelamin").select_option(Sex.FEMALE)
    field(page, "Tempat lahir").fill("Tangerang")
    field(page, "Tanggal lahir").fill(birth_date.isoformat())
    field(page, "Pendidikan terakhir").select_option("sma")
    field(page, "Nomor HP").fill("0812-3456-7890")
    field(page, "Alamat (sesuai KTP)").fill("Jl. Kisamaun No. 12")
    field(page, "RT").fill("003")
    field(page, "RW").fill("004")
    # The KTP address in the kelurahan served: no "address differs" warning to confirm.
    field(page, "Kelurahan (alamat KTP)").select_option(KEL_A)
    field(page, "Bank").fill("Bank BJB")
    field(page, "Nomor rekening").fill("0011223344")
    field(page, "Nama pemilik rekening").fill(NAME)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (PHONE_WIDTH, 740)], ids=["desktop", "phone-360px"])
def test_operator_registers_psm_and_fixes_birth_date_that_contradicts_nik(
    live_server, operator, new_page, width, height
):
    page = new_page(width, height)
    phone = width == PHONE_WIDTH
    nik = make_nik(kecamatan_code=KEC_A, birth_date=TRUE_BIRTH, sex=Sex.FEMALE, serial=17)

    login(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/pekerja/baru/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah PSM/TKSK")
    if phone:
        assert_no_horizontal_scroll(page)

    fill_person(page, nik, WRONG_BIRTH)
    choose_posting_in_sukarasa(page)
    page.get_by_role("button", name="Simpan").click()

    # Refused: the form comes back with the error beside the birth date, and nothing is saved.
    birth_row = field_group(page, "Tanggal lahir")
    expect(birth_row).to_contain_text("Tanggal lahir tidak sesuai dengan NIK")
    expect(field(page, "Tanggal lahir")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile(r"/pekerja/baru/$"))
    if phone:
        assert_no_horizontal_scroll(page)

    field(page, "Tanggal lahir").fill(TRUE_BIRTH.isoformat())
    if not field(page, "Kelurahan tugas (PSM)").input_value():
        choose_posting_in_sukarasa(page)
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(r"/pekerja/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator("main")).to_contain_text("Sukarasa")
    detail_path = re.sub(r"^https?://[^/]+", "", page.url)

    page.goto(f"{live_server.url}/pekerja/?q={quote(NAME)}")
    link = page.locator("#results").get_by_role("link", name=NAME)
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", detail_path)
