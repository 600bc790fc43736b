"""The files a run produces: the bank file in XLSX, the recap PDF per kecamatan; the API detail without N+1."""

import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from pilar.incentives import exports, services
from pilar.incentives.pdf import recap_pdf
from tests.conftest import KEC_A, KEL_B

pytestmark = pytest.mark.django_db
JUNE = date(2026, 6, 1)


@pytest.fixture
def run(operator, admin_user, make_psm):
    make_psm(account="0012345678")  # a leading zero the bank needs kept
    make_psm(kelurahan=KEL_B)
    run = services.payroll_generate(period=JUNE, actor=operator)
    return services.payroll_approve(run=run, actor=admin_user)


def test_xlsx_bank_file_keeps_account_numbers_as_text_and_totals_the_amounts(run):
    rows = CalamineWorkbook.from_filelike(io.BytesIO(exports.bank_xlsx(run))).get_sheet_by_index(0).to_python()
    assert rows[0][:6] == ["no", "nomor_rekening", "nama_pemilik_rekening", "bank", "jumlah", "keterangan"]
    assert "0012345678" in [row[1] for row in rows[1:3]]
    assert {row[5] for row in rows[1:3]} == {"Insentif PSM Juni 2026"}
    assert rows[3][3:5] == ["Jumlah", 1000000]


def pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type /Page>")


def test_recap_pdf_has_a_summary_and_one_section_per_kecamatan(run):
    whole, one = recap_pdf(run), recap_pdf(run, KEC_A)
    assert whole.startswith(b"%PDF") and one.startswith(b"%PDF")
    assert pages(whole) == pages(one) + 2  # the summary page and the other kecamatan's section


def test_api_detail_reads_lines_without_a_query_per_line(
    api_as, operator, run, make_psm, django_assert_max_num_queries
):
    client = api_as(operator)
    client.get(f"/api/v1/payroll-runs/{run.pk}")
    with django_assert_max_num_queries(12):
        body = client.get(f"/api/v1/payroll-runs/{run.pk}").json()
    assert body["line_count"] == len(body["lines"]) == 2 and body["total"] == 1000000


def test_recap_pdf_dates_a_run_approved_before_7_wib_on_the_jakarta_day(run, monkeypatch):
    from datetime import UTC, datetime

    from pilar.incentives import pdf

    # 23:30 UTC on 6 December is 06:30 WIB on 7 December: the office's day is the 7th. (In memory only: an
    # approved run is locked in the database.)
    run.generated_at = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
    run.approved_at = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    printed: list[date] = []
    monkeypatch.setattr(pdf, "tanggal_id", lambda day: printed.append(day) or str(day))
    recap_pdf(run)
    assert printed and set(printed) == {date(2026, 12, 7)}


def test_recap_opens_with_the_office_kop_surat_and_is_signed_by_the_payroll_signatory(run, admin_user):
    from django.db import transaction

    from pilar.regions.office import office_update
    from tests.regions.test_office import pdf_text, png

    with transaction.atomic():
        office_update(
            actor=admin_user,
            logo=png(),
            values={
                "government": "Pemerintah Kota Tangerang",
                "name": "Dinas Sosial",
                "address": "Jl. Satria Sudirman No. 1",
                "head_name": "Drs. Mulyani Sari",
                "head_nip": "197001011995032001",
            },
            signatories={
                "insentif": {
                    "name": "Budi Hartono, S.Sos",
                    "position": "Sekretaris Dinas Sosial",
                    "nip": "197505052000121002",
                }
            },
        )
    body = recap_pdf(run)
    text = pdf_text(body)
    for expected in (
        "PEMERINTAH KOTA TANGERANG",
        "DINAS SOSIAL",
        "Jl. Satria Sudirman No. 1",
        "Budi Hartono, S.Sos",
        "Sekretaris Dinas Sosial",
        "NIP 197505052000121002",
    ):
        assert expected in text, expected
    assert b"/Subtype /Image" in body  # the logo is drawn
