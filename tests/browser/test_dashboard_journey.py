"""The head of office reads the city at a glance: the dashboard on a desktop and on a 360-px phone, a kelurahan
clicked on the map, a number followed to the registry rows it counts, and last month's PPKS report downloaded
from the archive as the PDF the worker made. Screenshots go to test-results/."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.fixtures import RESULTS_DIR, login
from tests.conftest import KEL_A
from tests.reports.conftest import validated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 360


@pytest.fixture
def records(city, pimpinan):
    from pilar.accounts.models import Role
    from tests.factories import user_with_role

    reporter = user_with_role("operator.pelapor", Role.OPERATOR)
    checker = user_with_role("operator.pemeriksa", Role.OPERATOR)
    for code in (KEL_A, KEL_A, KEL_A, "36.71.01.1002", "36.71.03.1001"):
        validated(reporter, checker, code)
    from pilar.reports.services import reports_generate_due

    reports_generate_due()  # last month's reports, as the task worker makes them after month end


def shot(page: Page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"dashboard-{name}.png"), full_page=True)


def open_kelurahan_from_the_map(page: Page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/dasbor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    expect(page.locator(".headline .stat").first).to_contain_text("5")
    shot(page, name)
    area = page.locator('svg.choropleth a[aria-label^="Sukarasa:"]')
    area.focus()  # reachable with the keyboard
    area.press("Enter")
    expect(page).to_have_url(re.compile(rf"kelurahan={re.escape(KEL_A)}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sukarasa")
    expect(page.locator(".headline .stat").first).to_contain_text("3")
    shot(page, f"{name}-kelurahan")


def download_monthly_ppks_report(page: Page, base_url: str, name: str) -> None:
    from pilar.reports.models import ReportSnapshot

    page.goto(f"{base_url}/dasbor/")
    page.locator(".official-reports a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arsip laporan resmi")
    row = page.locator("main table tbody tr", has_text="Rekapitulasi PPKS")
    expect(row).to_have_count(1)
    shot(page, f"{name}-reports")
    with page.expect_download() as caught:
        row.get_by_role("link", name="PDF").click()
    body = Path(caught.value.path()).read_bytes()
    snapshot = ReportSnapshot.objects.get(kind="ppks")
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == snapshot.checksum
    assert caught.value.suggested_filename == f"laporan-ppks-{snapshot.period}-{snapshot.pk}.pdf"


def test_head_of_office_reads_the_dashboard_and_follows_a_number(new_page, live_server, records):
    page = new_page()
    login(page, live_server.url, "pimpinan")
    open_kelurahan_from_the_map(page, live_server.url, "desktop")
    page.locator(".headline .stat a").first.click()
    expect(page).to_have_url(re.compile(r"/registri/\?.*status=ditetapkan"))
    expect(page.locator("main table tbody tr")).to_have_count(3)
    shot(page, "desktop-registry")
    download_monthly_ppks_report(page, live_server.url, "desktop")

    phone = new_page(PHONE_WIDTH, 780)
    login(phone, live_server.url, "pimpinan")
    open_kelurahan_from_the_map(phone, live_server.url, "phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the dashboard scrolls sideways at {PHONE_WIDTH}px: {width}"
    download_monthly_ppks_report(phone, live_server.url, "phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the report archive scrolls sideways at {PHONE_WIDTH}px: {width}"
