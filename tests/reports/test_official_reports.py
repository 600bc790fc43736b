"""Official reports: their figures, PDF and XLSX, the snapshot kept unchanged, the archive page and the worker."""

import hashlib
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from pilar.audit.models import AuditEntry
from pilar.notifications.models import Notification
from pilar.regions.models import Signatory
from pilar.reports import services
from pilar.reports.filters import Period
from pilar.reports.models import ReportKind, ReportSnapshot
from pilar.reports.official import report_figures, report_period
from pilar.reports.official_files import cell_text
from tests.conftest import KEL_A
from tests.regions.test_office import pdf_text
from tests.reports.conftest import validated


def this_period() -> Period:
    month = timezone.localdate().replace(day=1)
    return Period(month, month, f"{month:%Y-%m}")


def test_ppks_recap_counts_the_validated_records_without_the_restricted_ones(registry):
    tables = report_figures(ReportKind.PPKS, this_period())["tables"]
    kecamatan, villages, categories = tables
    # 8 validated, 2 of restricted persons left out; one more entered and exited this month.
    assert kecamatan["totals"][1:] == [0, 7, 1, 6]
    assert villages["totals"][2:] == [0, 7, 1, 6]
    assert categories["totals"][1:] == [0, 7, 1, 6]
    sukarasa = next(row for row in villages["rows"] if row[1] == "Sukarasa")
    assert sukarasa[2:] == [0, 3, 0, 3]  # two persons and a family; the restricted one is not counted


def test_ppks_recap_of_last_month_counts_back_what_entered_since(registry):
    month = timezone.localdate().replace(day=1)
    last = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    tables = report_figures(ReportKind.PPKS, Period(last, last, f"{last:%Y-%m}"))["tables"]
    assert tables[0]["totals"][1:] == [0, 0, 0, 0]


@pytest.mark.parametrize("text", ["2026-13", "26-11", "2026/11", "", "2026-Q4", "abcd"])
def test_a_report_period_must_be_a_month_or_a_year(text, city):
    with pytest.raises(ValidationError) as caught:
        report_period(text)
    assert "2026-11 (bulan) atau 2026 (tahun)" in caught.value.message_dict["period"][0]


def test_a_report_period_cannot_lie_in_the_future(city):
    with pytest.raises(ValidationError) as caught:
        report_period(str(timezone.localdate().year + 1))
    assert "belum dimulai" in caught.value.message_dict["period"][0]


def test_numbers_are_printed_the_indonesian_way():
    assert cell_text(1234567, "int") == "1.234.567"
    assert cell_text(2500000, "money") == "Rp 2.500.000"
    assert cell_text(0.8512, "percent") == "85,1%"
    assert cell_text(None, "decimal") == "-"


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_kind_is_kept_with_its_files_checksums_and_audit_entry(kind, registry, pimpinan):
    Signatory.objects.create(
        document=Signatory.Document.REPORT, name="Drs. Contoh Penanda", position="Sekretaris", nip="197001012000031001"
    )
    snapshot = services.report_generate(kind=kind, period=this_period(), actor=pimpinan)
    pdf, xlsx = bytes(snapshot.pdf), bytes(snapshot.xlsx)
    assert pdf.startswith(b"%PDF") and snapshot.checksum == hashlib.sha256(pdf).hexdigest()
    assert snapshot.xlsx_checksum == hashlib.sha256(xlsx).hexdigest()
    text = pdf_text(pdf)
    assert "Drs. Contoh Penanda" in text and "NIP 197001012000031001" in text and "Tabel 1." in text
    assert "WIB" in text
    book = load_workbook(io.BytesIO(xlsx))
    first = book.worksheets[0]
    assert first.freeze_panes == "B7" and first.auto_filter.ref
    entry = AuditEntry.objects.get(action="reports.report.generated")
    assert entry.actor == pimpinan and entry.data["checksum"] == snapshot.checksum


def test_xlsx_holds_numbers_and_a_totals_row(registry, operator):
    snapshot = services.report_generate(kind=ReportKind.PPKS, period=this_period(), actor=operator)
    sheet = load_workbook(io.BytesIO(bytes(snapshot.xlsx))).worksheets[0]
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    assert rows[0][0] == 1 and isinstance(rows[0][2], int)
    assert rows[-1][1] == "Jumlah" and rows[-1][3:] == (7, 1, 6)
    assert isinstance(sheet["B4"].value, type(timezone.now().replace(tzinfo=None)))  # a real date


def test_a_snapshot_stays_unchanged_when_the_registry_moves_on(registry, reporter, checker, operator):
    snapshot = services.report_generate(kind=ReportKind.PPKS, period=this_period(), actor=operator)
    before = (bytes(snapshot.pdf), snapshot.figures)
    validated(reporter, checker, KEL_A)
    again = ReportSnapshot.objects.get(pk=snapshot.pk)
    assert (bytes(again.pdf), again.figures) == before
    newer = services.report_generate(kind=ReportKind.PPKS, period=this_period(), actor=operator)
    assert newer.figures["tables"][0]["totals"][4] == 7 and newer.checksum != snapshot.checksum


def test_the_worker_makes_last_months_reports_once_and_tells_the_head_of_office(registry, pimpinan):
    today = timezone.localdate()
    assert services.reports_generate_due(today=today) == len(ReportKind)
    assert services.reports_generate_due(today=today) == 0
    made = ReportSnapshot.objects.filter(automatic=True)
    assert {s.kind for s in made} == set(ReportKind.values) and {s.created_by for s in made} == {None}
    note = Notification.objects.get(recipient=pimpinan)
    assert "Laporan resmi" in note.title and note.url.startswith("/laporan/")


def test_in_january_the_worker_also_makes_the_year_just_ended(city):
    periods = [p.code for p in services.due_periods(date(2027, 1, 3))]
    assert periods == ["2026-12", "2026"]


def test_head_of_office_makes_a_report_on_the_archive_page_and_downloads_it(client, registry, pimpinan):
    client.force_login(pimpinan)
    response = client.post("/laporan/", {"kind": "ppks", "period": this_period().code})
    assert response.status_code == 302
    snapshot = ReportSnapshot.objects.get()
    page = client.get(response["Location"])
    assert "Rekapitulasi PPKS" in page.content.decode() and snapshot.checksum[:10] in page.content.decode()
    pdf = client.get(f"/laporan/{snapshot.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(snapshot.pdf)
    assert pdf["X-Checksum-SHA256"] == snapshot.checksum


def test_a_bad_period_on_the_page_is_named_and_nothing_is_made(client, city, operator):
    client.force_login(operator)
    response = client.post("/laporan/", {"kind": "ppks", "period": "2026-13"})
    assert response.status_code == 400
    assert "2026-11 (bulan) atau 2026 (tahun)" in response.content.decode()
    assert not ReportSnapshot.objects.exists()


@pytest.mark.parametrize("persona", ["tksk_a", "psm_a", "opd_user"])
def test_area_roles_neither_see_the_archive_nor_its_files(client, request, persona, operator):
    snapshot = services.report_generate(kind=ReportKind.WORKFORCE, period=this_period(), actor=operator)
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/laporan/").status_code == 403
    assert client.post("/laporan/", {"kind": "ppks", "period": "2026"}).status_code == 403
    assert client.get(f"/laporan/{snapshot.pk}/pdf/").status_code == 404


def test_finance_reads_the_archive_but_makes_no_report(client, city, operator):
    from pilar.accounts.models import Role
    from tests.factories import user_with_role

    snapshot = services.report_generate(kind=ReportKind.INCENTIVES, period=this_period(), actor=operator)
    client.force_login(user_with_role("keuangan", Role.KEUANGAN))
    page = client.get("/laporan/")
    assert page.status_code == 200 and "Buat laporan" not in page.content.decode()
    assert client.post("/laporan/", {"kind": "ppks", "period": "2026"}).status_code == 403
    assert client.get(f"/laporan/{snapshot.pk}/xlsx/").content == bytes(snapshot.xlsx)
