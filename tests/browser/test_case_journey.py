"""From a resident's complaint to a closed case, in a real browser.

A resident reports a neglected elderly woman on the public page from a 360-px phone, without an account,
and gets a tracking code. The PSM of the kelurahan turns the complaint into a case of that kelurahan,
assesses it and submits a plan; the TKSK of the kecamatan approves the plan; the case is referred to
Dinkes, whose user accepts and completes the referral; the PSM closes the case with its outcome. The
resident's tracking code shows the progress and nothing else; a PSM of another kecamatan gets 404.
"""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pilar.complaints import guard
from pilar.complaints.models import Complaint
from tests.browser.fixtures import confirm, login
from tests.browser.test_registry_journey import PHONE_WIDTH, assert_no_horizontal_scroll, field
from tests.conftest import KEC_A, KEL_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Mbah Kartini Perambanwati"
STORY = "Nenek tinggal sendirian di rumah petak, sering tidak makan dan sakit-sakitan tanpa ada yang merawat."


def report_as_resident(page: Page, base: str) -> str:
    """The public form, filled in on a phone; returns the tracking code shown at the end."""
    page.goto(f"{base}/pengaduan/baru/")
    served = time.time()  # the form's signed timestamp is at most this late
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporkan warga yang perlu dibantu")
    field(page, "Nama orang yang perlu dibantu").fill(NAME)
    field(page, "Perkiraan umur (tahun)").fill("81")
    field(page, "Jenis kelamin").select_option("P")
    # Choosing the kecamatan narrows the kelurahan list (htmx) to that kecamatan's.
    page.get_by_label("Kecamatan", exact=True).select_option(KEC_A)
    kelurahan = page.get_by_label("Kelurahan", exact=True)
    expect(kelurahan.locator("optgroup")).to_have_count(0)
    kelurahan.select_option(KEL_A)
    field(page, "Alamat atau patokan lokasi").fill("Gg. Melati 7, belakang musala")
    field(page, "RT").fill("2")
    field(page, "RW").fill("5")
    field(page, "Uraian keadaannya").fill(STORY)
    field(page, "Nomor HP Anda").fill("0812-7777-1234")
    assert_no_horizontal_scroll(page)
    # A person takes longer than the form's minimum fill time; this test must not be faster than one.
    time.sleep(max(0.0, served + guard.MIN_FILL_SECONDS + 0.5 - time.time()))
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("pengaduan Anda sudah kami terima")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", code)
    assert_no_horizontal_scroll(page)
    return code


def check_status(page: Page, base: str, code: str, expected: str) -> None:
    page.goto(f"{base}/pengaduan/status/")
    field(page, "Kode pelacakan").fill(code)
    page.get_by_role("button", name="Cek status").click()
    expect(page.get_by_test_id("status")).to_contain_text(expected)
    for private in (NAME, "Melati", "7777", "sendirian"):
        expect(page.locator("main")).not_to_contain_text(private)


def convert_as_psm(page: Page, base: str, code: str) -> str:
    """The PSM finds the complaint in the queue and makes it a case; returns the case's URL."""
    page.goto(f"{base}/pengaduan/")
    page.locator("#results").get_by_role("link", name=code).click()
    expect(page.locator("main")).to_contain_text(NAME)
    expect(page.locator("main")).to_contain_text("+6281277771234")
    field(page, "Kategori PPKS kasus").select_option(label="Lanjut Usia Telantar")
    field(page, "Catatan peninjauan").fill("Sudah dicek ke lokasi bersama ketua RT.")
    page.get_by_role("button", name="Jadikan kasus").click()
    expect(page.locator(".messages")).to_contain_text("Pengaduan dijadikan kasus")
    page.get_by_test_id("case-link").click()
    expect(page).to_have_url(re.compile(r"/kasus/\d+/$"))
    expect(page.locator("main .lead")).to_contain_text("Sukarasa")
    expect(page.locator("main")).to_contain_text("Pengaduan masyarakat")
    return page.url


def assess_and_plan(page: Page, case_url: str) -> None:
    page.goto(case_url)
    assess = page.locator("#aksi-assess")
    assess.get_by_role("checkbox").first.check()
    assess.get_by_role("checkbox").nth(1).check()
    field(assess, "Kebutuhan").fill("Makan harian, pemeriksaan kesehatan, pendamping.")
    assess.get_by_role("button", name="Simpan asesmen").click()
    expect(page.locator(".messages")).to_contain_text("Asesmen tersimpan")
    plan = page.locator("#aksi-plan")
    field(plan, "Tujuan").fill("Kebutuhan dasar dan kesehatan Mbah Kartini terpenuhi.")
    field(plan, "Langkah intervensi").fill("Rujuk ke Dinkes untuk pemeriksaan; usulkan permakanan lansia.")
    field(plan, "Target selesai").fill((timezone.localdate() + timezone.timedelta(days=30)).isoformat())
    plan.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#h-plans")).to_be_visible()


def approve_plan_as_tksk(page: Page, case_url: str) -> None:
    page.goto(case_url)
    page.locator("#aksi-approve").get_by_role("button", name="Setujui").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("main .lead")).to_contain_text("Intervensi")


def refer_to_dinkes(page: Page, case_url: str) -> str:
    """The PSM refers the case to Dinkes from the case's page; returns the referral's URL."""
    page.goto(case_url)
    page.get_by_role("link", name="Kirim rujukan ke OPD").click()
    field(page, "OPD tujuan").select_option("dinkes")
    field(page, "Alasan rujukan").fill("Mohon pemeriksaan kesehatan lansia di rumah; pasien sulit berjalan.")
    page.get_by_role("button", name="Kirim rujukan").click()
    expect(page.locator(".messages")).to_contain_text("Rujukan terkirim")
    expect(page).to_have_url(re.compile(r"/rujukan/\d+/$"))
    return page.url


def accept_and_complete_as_dinkes(page: Page, referral_url: str) -> None:
    page.goto(referral_url)
    expect(page.locator("main")).to_contain_text(NAME)
    page.get_by_role("button", name="Terima").click()
    expect(page.locator(".messages")).to_be_visible()
    page.get_by_role("button", name="Tandai diproses").click()
    expect(page.locator(".messages")).to_be_visible()
    field(page, "Hasil penanganan").fill("Diperiksa di rumah oleh Puskesmas; hipertensi, diberi obat rutin.")
    field(page, "Tanggal selesai").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Selesai")


def close_case(page: Page, case_url: str) -> None:
    page.goto(case_url)
    expect(page.locator("ol.timeline")).to_contain_text("Dinas Kesehatan")
    close = page.locator("#aksi-close")
    field(close, "Hasil penanganan").select_option("tertangani")
    field(close, "Alasan/keterangan").fill("Kesehatan terpantau Puskesmas; permakanan lansia berjalan.")
    confirm(close, "Tutup kasus", "Ya, tutup kasus")
    expect(page.locator(".messages")).to_contain_text("Kasus ditutup")
    expect(page.locator("main")).to_contain_text("Tertangani")


def test_complaint_becomes_a_case_that_is_assessed_approved_referred_and_closed(
    live_server, psm_a, psm_b, tksk_a, opd_user, new_page
):
    base = live_server.url
    resident = new_page(PHONE_WIDTH, 740)
    code = report_as_resident(resident, base)
    check_status(resident, base, code, "menunggu ditinjau")

    psm = new_page()
    login(psm, base, "psm.a")
    case_url = convert_as_psm(psm, base, code)
    complaint = Complaint.objects.select_related("case__kelurahan").get(tracking_code=code)
    assert complaint.case.kelurahan.code == KEL_A
    check_status(resident, base, code, "Ditindaklanjuti sebagai kasus")

    assess_and_plan(psm, case_url)

    tksk = new_page()
    login(tksk, base, "tksk.a")
    approve_plan_as_tksk(tksk, case_url)

    referral_url = refer_to_dinkes(psm, case_url)
    dinkes = new_page()
    login(dinkes, base, "opd.dinkes")
    accept_and_complete_as_dinkes(dinkes, referral_url)

    close_case(psm, case_url)
    check_status(resident, base, code, "Selesai ditangani")

    other = new_page()
    login(other, base, "psm.b")
    answer = other.goto(f"{base}/pengaduan/{complaint.pk}/")
    assert answer is not None and answer.status == 404
    expect(other.locator("main")).not_to_contain_text(NAME)
