"""The payroll journey in a real browser: the operator generates a month's incentive run and cannot approve
it; the admin (a second user) approves it and downloads the bank file; the PSM sees the payslip."""

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pilar.incentives.models import PayrollRun
from pilar.regional.loader import load_shipped_pack
from pilar.workers.models import Assignment, StatusChange, Worker, WorkerStatus
from tests.browser.fixtures import confirm, login
from tests.browser.test_training_journey import field
from tests.factories import WorkerFactory, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def generate_june(page: Page, base: str) -> None:
    page.goto(f"{base}/insentif/")
    field(page, "Periode (bulan)").fill("2026-06")
    field(page, "PSM yang masuk atau keluar di tengah bulan").select_option("prorated")
    page.get_by_role("button", name="Buat penggajian").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insentif PSM Juni 2026")
    expect(page.locator(".messages")).to_contain_text("3 baris")


def test_payroll_is_generated_approved_by_a_second_user_and_exported(
    live_server, operator, admin_user, psm_a, new_page, tmp_path: Path
):
    load_shipped_pack("36.71")  # an earlier browser test's flush took the migration's rows
    WorkerFactory(region=region("36.71.03.1001"))
    leaver = WorkerFactory(region=region("36.71.03.1002"))
    Worker.objects.filter(pk=leaver.pk).update(status=WorkerStatus.STOPPED, status_date=date(2026, 6, 10))
    Assignment.objects.filter(worker=leaver).update(end_date=date(2026, 6, 10))
    StatusChange.objects.create(worker=leaver, status=WorkerStatus.STOPPED, date=date(2026, 6, 10), reason="pindah")
    base = live_server.url

    maker = new_page()
    login(maker, base, "operator")
    generate_june(maker, base)
    run_url = maker.url
    expect(maker.locator("#run-total")).to_have_text("Rp 1.166.667")  # 500.000 + 500.000 + 10/30 of it
    expect(maker.locator("main")).to_contain_text("aktif terakhir 10 Juni 2026")
    # The maker cannot approve their own run: told why, and no button to do it.
    expect(maker.locator("#own-run-note")).to_contain_text("persetujuan harus oleh pengguna lain")
    expect(maker.get_by_role("button", name="Setujui penggajian")).to_have_count(0)

    checker = new_page()
    login(checker, base, "admin")
    checker.goto(run_url)
    expect(checker.locator("details[data-confirm]").first).to_contain_text("jumlah Rp 1.166.667")
    confirm(checker, "Setujui penggajian", "Ya, setujui penggajian")
    expect(checker.locator(".messages")).to_contain_text("Penggajian Juni 2026 disetujui")
    expect(checker.locator("#run-status")).to_have_text("Disetujui")
    with checker.expect_download() as download_info:
        checker.get_by_role("link", name="File bank CSV").click()
    saved = tmp_path / "bank.csv"
    download_info.value.save_as(saved)
    rows = saved.read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(rows) == 4  # header and the three PSM
    assert all("Insentif PSM Juni 2026" in row for row in rows[1:])
    run = PayrollRun.objects.get()
    assert (run.status, run.generated_by, run.approved_by) == ("disetujui", operator, admin_user)

    # The regenerate of an approved month is refused with a clear message.
    generate_again = maker
    generate_again.goto(f"{base}/insentif/")
    field(generate_again, "Periode (bulan)").fill("2026-06")
    generate_again.get_by_role("button", name="Buat penggajian").click()
    expect(generate_again.locator("main")).to_contain_text("sudah disetujui dan terkunci")

    psm = new_page(360, 740)
    login(psm, base, "psm.a")
    psm.goto(f"{base}/insentif/saya/")
    psm.get_by_role("link", name=re.compile("Juni 2026")).click()
    expect(psm.locator("#payslip-amount")).to_have_text("Rp 500.000")
