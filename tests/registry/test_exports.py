"""Streamed PPKS exports: the rows of the queryset, NIK whole only for who may see it."""

import csv
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from pilar.registry.exports import export_csv, export_xlsx, write_file
from pilar.registry.importer import import_file
from pilar.registry.models import PpksRecord
from tests.registry.test_import import FAMILY

HEADER = [
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Kode Kelurahan",
    "RT",
    "RW",
    "Alamat",
    "Hubungan Keluarga",
    "Kategori PPKS",
]


@pytest.fixture
def records(city, operator, tmp_path):
    path = tmp_path / "data.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(FAMILY)
    assert import_file(path, user=operator).created_count == 3
    return PpksRecord.objects.all()


def csv_rows(response) -> list[list[str]]:
    text = b"".join(part if isinstance(part, bytes) else part.encode() for part in response.streaming_content)
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_operator_csv_has_whole_niks(records, operator):
    response = export_csv(records, operator)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["ID", "NIK", "Nama"] and len(rows) == 3
    assert rows[0][1] == FAMILY[0][0] and rows[0][8] == "Diusulkan"


def test_head_of_office_gets_masked_nik_and_kk(records, pimpinan):
    header, *rows = csv_rows(export_csv(records, pimpinan))
    nik, kk = header.index("NIK"), header.index("No KK")
    assert rows[0][nik] == FAMILY[0][0][:4] + "********" + FAMILY[0][0][-4:]
    assert all("*" in row[nik] for row in rows) and all(not row[kk] or "*" in row[kk] for row in rows)


def test_xlsx_export_is_readable_and_masked(records, pimpinan, tmp_path):
    response = export_xlsx(records, pimpinan)
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert data[0][1] == "NIK" and len(data) == 4 and "********" in data[1][1]


def test_xlsx_export_has_real_numbers_and_dates_under_a_frozen_filtered_bold_header(records, operator, tmp_path):
    path = tmp_path / "export.xlsx"
    with write_file("xlsx", records, operator) as written:
        path.write_bytes(written.read())
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    last = get_column_letter(len(header))
    assert header[:3] == ["ID", "NIK", "Nama"] and all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}4"
    assert openpyxl.load_workbook(path, read_only=True).active.calculate_dimension() == f"A1:{last}4"
    widths = {n: d.width for d in sheet.column_dimensions.values() for n in range(d.min, d.max + 1)}  # 1-based
    assert widths[header.index("Nama") + 1] >= 18 and widths[1] >= 10 and len(widths) == len(header)
    by_id = {r.pk: r for r in records.select_related("person")}
    column = {title: index for index, title in enumerate(header)}
    for row in sheet.iter_rows(min_row=2):
        record = by_id[row[0].value]  # the ID is a number
        nik, born, proposed = row[column["NIK"]], row[column["Tanggal Lahir"]], row[column["Diusulkan pada"]]
        assert nik.value == record.person.nik and nik.data_type == "s" and nik.number_format == "@"
        assert born.is_date and born.number_format == "dd-mm-yyyy"
        assert born.value.date() == record.person.birth_date
        local = timezone.localtime(record.proposed_at).replace(tzinfo=None)
        assert proposed.is_date and proposed.number_format == "dd-mm-yyyy hh:mm"
        assert abs((proposed.value - local).total_seconds()) < 1
        assert row[column["Status"]].value == "Diusulkan"
    csv_header, *csv_body = csv_rows(export_csv(records, operator))  # the same values as text in a CSV
    assert csv_header == header and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", csv_body[0][-1])
    assert {row[column["Tanggal Lahir"]] for row in csv_body} == {"1950-03-04", "1955-07-21", "2010-12-01"}


def test_bnba_xlsx_has_day_first_birth_dates_and_reads_back_through_the_dtks_profile(records, operator, tmp_path):
    path = tmp_path / "bnba.xlsx"
    with write_file("xlsx", records, operator, layout="dtks") as written:
        path.write_bytes(written.read())
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    born = [row[header.index("TGL LAHIR")] for row in sheet.iter_rows(min_row=2)]
    assert sheet.freeze_panes == "A2" and all(c.is_date and c.number_format == "dd-mm-yyyy" for c in born)
    assert {c.value.date().isoformat() for c in born} == {"1950-03-04", "1955-07-21", "2010-12-01"}
    text = b"".join(export_csv(records, operator, layout="dtks").streaming_content).decode("utf-8-sig")
    assert "04-03-1950" in text  # the ministry's CSV keeps its day-first dates
