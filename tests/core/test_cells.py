"""One escaping rule for every spreadsheet cell Pilar writes."""

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from pilar.core import cells
from pilar.core.cells import DATE, DATETIME, NUMBER, TEXT, csv_lines, safe_cell, safe_row, xlsx_file


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "\n=1", '=HYPERLINK("x")'])
def test_text_that_could_run_as_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["+6281234567890", "-5", "Budi", "", "3671015806580012", 12, None, 1.5])
def test_data_that_cannot_run_is_left_alone(value):
    assert safe_cell(value) == value


def test_sign_followed_by_non_ascii_digits_is_still_quoted():
    assert safe_cell("+١٢٣") == "'+١٢٣"


def test_a_row_is_escaped_cell_by_cell():
    assert safe_row(["=x", 3, "y"]) == ["'=x", 3, "y"]


def test_an_xlsx_keeps_every_text_as_typed_and_numbers_and_dates_as_such():
    header = ["Teks", "Angka", "Tanggal", "Waktu"]
    moment = timezone.make_aware(datetime(2026, 12, 7, 14, 5))
    rows = [
        ["=cmd()", 12, date(2026, 12, 7), moment],
        ["a & b <c> \"d\" 'e'", 1.5, date(1890, 1, 1), None],
        ["  di tepi  ", None, None, None],
        ["bel\x07 _x0041_ baris\nbaru", "", "", ""],
        ["", 0, date(1900, 3, 1), datetime(2026, 1, 2, 3, 4, 5)],
    ]
    with xlsx_file("Uji", header, rows, kinds=[TEXT, NUMBER, DATE, DATETIME]) as written:
        body = written.read()
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == header and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D6"
    assert values[1][:3] == ["'=cmd()", 12, datetime(2026, 12, 7)]
    assert abs(values[1][3] - datetime(2026, 12, 7, 14, 5)) < timedelta(seconds=1)  # the office's local time
    assert values[2][:3] == ["a & b <c> \"d\" 'e'", 1.5, "1890-01-01"]  # no day Excel can show: text
    assert values[3] == ["  di tepi  ", None, None, None]
    # Control characters and a literal "_x0041_" in Excel's own escapes, which calamine (like Excel) decodes.
    assert values[4][0] == "bel_x0007_ _x005F_x0041_ baris\nbaru"
    assert CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()[4][0] == rows[3][0]
    assert values[5][:3] == [None, 0, datetime(1900, 3, 1)]
    assert abs(values[5][3] - datetime(2026, 1, 2, 3, 4, 5)) < timedelta(seconds=1)


def test_a_csv_writes_typed_cells_as_text():
    moment = timezone.make_aware(datetime(2026, 12, 7, 14, 5))
    lines = csv_lines([[1, date(2026, 12, 7), moment, None]], kinds=[NUMBER, DATE, DATETIME, DATETIME])
    assert list(lines)[1] == "1,2026-12-07,2026-12-07 14:05,\r\n"


def test_an_xlsx_longer_than_a_sheet_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(cells, "MAX_ROWS", 2)
    with pytest.raises(ValueError, match="paling banyak 2 baris data"):
        xlsx_file("Uji", ["a"], [["1"], ["2"], ["3"]])
