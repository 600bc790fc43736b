"""The office-data journey in a real browser: an operator uploads an office workbook, corrects one column
mapping in the preview and saves it as a profile, imports, resolves one conflict as the same person and one
as a different person, and merges the duplicate the import's scan found."""

import re
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.registry.import_models import ImportConflict, ImportProfile
from pilar.registry.models import DuplicateCandidate
from tests.browser.fixtures import confirm, login
from tests.conftest import KEL_A
from tests.factories import region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nik(serial: int, born: date, sex: str) -> str:
    return make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=serial)


BUDI, RAHMA, AMINAH = date(1955, 2, 3), date(1962, 7, 8), date(1980, 1, 5)


def office_workbook(path):
    """Title rows, a "NAMA KRT" column no alias knows (to be mapped by hand), a JUMLAH footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR PENERIMA BANTUAN KELURAHAN SUKARASA"])
    sheet.append([])
    sheet.append(["NO", "NIK", "NAMA KRT", "L/P", "TGL LAHIR", "DESA/KELURAHAN", "JENIS PPKS"])
    sheet.append([1, nik(1, BUDI, "L"), "Budi Santosa", "L", "03-02-1955", "Sukarasa", "Fakir Miskin"])
    sheet.append([2, nik(2, RAHMA, "P"), "Siti Rohmah", "P", "08-07-1962", "Sukarasa", "Fakir Miskin"])
    sheet.append([3, nik(3, AMINAH, "P"), "Siti Aminah", "P", "05-01-1980", "Sukarasa", "Fakir Miskin"])
    sheet.append(["JUMLAH", "", "3 orang"])
    book.save(path)
    return path


def test_operator_maps_imports_resolves_conflicts_and_merges_a_duplicate(live_server, operator, new_page, tmp_path):
    kelurahan = region(KEL_A)
    Person.objects.create(nik=nik(1, BUDI, "L"), name="Budi Santoso", sex="L", birth_date=BUDI, village=kelurahan)
    Person.objects.create(nik=nik(2, RAHMA, "P"), name="Siti Rahma", sex="P", birth_date=RAHMA, village=kelurahan)
    Person.objects.create(name="Hj. Siti  Aminah", sex="P", birth_date=AMINAH, village=kelurahan)  # no NIK
    base = live_server.url
    page = new_page()
    login(page, base, "operator")

    page.goto(f"{base}/registri/impor/")
    page.set_input_files("input[type=file]", str(office_workbook(tmp_path / "kantor.xlsx")))
    page.get_by_label(re.compile("Impor baris yang valid")).check()
    page.get_by_role("button", name="Impor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pratinjau dan pemetaan kolom")
    expect(page.locator("main")).to_contain_text("Baris judul kolom: baris 3")
    expect(page.locator("#kolom-tidak-dipakai")).to_contain_text("NAMA KRT")
    page.get_by_label("Kolom Pilar untuk NAMA KRT").select_option(label="Nama Lengkap")
    page.get_by_label(re.compile("Simpan pemetaan ini sebagai profil")).fill("bnba-sukarasa")
    page.get_by_role("button", name="Impor dengan pemetaan ini").click()

    expect(page.locator(".messages")).to_contain_text("Profil pemetaan bnba-sukarasa disimpan")
    expect(page.locator("#progress")).to_contain_text("Selesai")
    assert ImportProfile.objects.get(name="bnba-sukarasa").mapping["name"] == ["NAMA KRT"]
    page.get_by_role("link", name=re.compile("periksa dan selesaikan")).click()

    first, second = ImportConflict.objects.order_by("row")
    same = page.locator(f"#konflik-{first.pk}")
    expect(same).to_contain_text("Budi Santosa")
    expect(same).to_contain_text("Budi Santoso")
    same.get_by_label("ambil dari berkas").check()
    same.get_by_role("button", name="Orang yang sama").click()
    expect(page.locator(".messages")).to_contain_text("Konflik baris 4 diselesaikan")
    page.locator(f"#konflik-{second.pk}").get_by_role("button", name=re.compile("Orang yang berbeda")).click()
    expect(page.locator(".messages")).to_contain_text("Konflik baris 5 diselesaikan")
    assert Person.objects.get(nik=nik(1, BUDI, "L")).name == "Budi Santosa"
    assert Person.objects.filter(name="Siti Rohmah", nik__isnull=True, dukcapil_status="tidak_padan").exists()

    candidate = DuplicateCandidate.objects.get(status="terbuka")
    page.goto(f"{base}/registri/duplikat/{candidate.pk}/")
    page.get_by_role("radio", name=re.compile("Orang A")).check()
    confirm(page, "Gabungkan", "Ya, gabungkan")
    expect(page.locator(".messages")).to_be_visible()
    candidate.refresh_from_db()
    assert candidate.status != "terbuka"
