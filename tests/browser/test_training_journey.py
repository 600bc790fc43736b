"""The training journey in a real browser: the operator creates an event, invites Kecamatan Batuceper's
PSM, marks attendance (one htmx checkbox, then everyone), downloads a certificate, and anyone verifies its
code on the public page without logging in."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pilar.trainings.models import Participant
from pilar.workers.models import WorkerStatus
from tests.browser.fixtures import login
from tests.conftest import KEC_B
from tests.factories import WorkerFactory, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Bimtek Penanganan Kasus Sosial Batuceper"
BATUCEPER = ["36.71.03.1001", "36.71.03.1002", "36.71.03.1003"]


def field(page: Page, label: str):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*:?\s*\*?\s*$"))


def create_event(page: Page, base: str) -> None:
    page.goto(f"{base}/pelatihan/")
    page.locator("main").get_by_role("link", name="Tambah pelatihan").click()
    today = timezone.localdate().isoformat()
    field(page, "Jenis").select_option("bimtek")
    field(page, "Judul").fill(TITLE)
    field(page, "Tanggal mulai").fill(today)
    field(page, "Tanggal selesai").fill(today)
    field(page, "Tempat").fill("Aula Kantor Kecamatan Batuceper")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".messages")).to_contain_text("Kode presensi")


def invite_batuceper(page: Page) -> None:
    page.locator("#id_target").select_option("psm_kecamatan")
    page.locator("#id_kecamatan").select_option(KEC_B)
    page.get_by_role("button", name="Undang", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("3 peserta diundang")


def mark_attendance(page: Page) -> None:
    page.get_by_role("link", name="Daftar hadir").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Daftar hadir")
    first = page.locator("tbody input[type=checkbox]").first
    with page.expect_response(re.compile(r"/presensi/centang/")):
        first.check()
    expect(page.locator("tbody tr").first.locator(".mark-state")).to_contain_text("Hadir")
    page.get_by_role("button", name="Tandai semua peserta hadir").click()
    expect(page.locator(".messages")).to_contain_text("Presensi tersimpan")
    expect(page.locator("tbody input[type=checkbox]:checked")).to_have_count(3)


def test_operator_runs_a_training_and_the_public_verifies_a_certificate(
    live_server, operator, new_page, tmp_path: Path
):
    for i in range(3):
        WorkerFactory(region=region(BATUCEPER[i]))
    WorkerFactory(region=region(BATUCEPER[0]), status=WorkerStatus.STOPPED)  # not invited
    WorkerFactory(region=region("36.71.01.1001"))  # another kecamatan: not invited
    base = live_server.url
    page = new_page()
    login(page, base, "operator")
    create_event(page, base)
    event_url = page.url
    invite_batuceper(page)
    mark_attendance(page)

    page.goto(event_url)
    link = page.get_by_role("link", name="Unduh PDF").first
    code = link.get_attribute("data-code")
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "sertifikat.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert Participant.objects.filter(completed=True).count() == 3

    public = new_page(360, 740)
    public.goto(f"{base}/pelatihan/sertifikat/")
    field(public, "Kode verifikasi").fill(code.replace("-", " ").lower())
    public.get_by_role("button", name="Periksa").click()
    expect(public.locator("main")).to_contain_text("Sertifikat sah dan berlaku")
    expect(public.locator("main")).to_contain_text(TITLE)
    expect(public.locator("main")).to_contain_text(code)
