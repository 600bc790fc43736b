"""The bank transfer file (CSV, XLSX) of a run: one row per line, account numbers whole (the bank needs them)."""

import io
from collections.abc import Iterator

import xlsxwriter

from pilar.core.cells import csv_lines, safe_row
from pilar.incentives.eligibility import bulan_tahun
from pilar.incentives.models import LineKind, PayrollLine, PayrollRun

HEADER = ["no", "nomor_rekening", "nama_pemilik_rekening", "bank", "jumlah", "keterangan", "nama_psm", "kelurahan"]


def description(line: PayrollLine) -> str:
    """'Insentif PSM November 2026'; an arrears or correction line names the month it pays for."""
    month = bulan_tahun(line.paid_month)
    if line.kind == LineKind.ARREARS:
        return f"Insentif PSM {month} (susulan)"
    if line.kind == LineKind.CORRECTION:
        return f"Koreksi insentif PSM {month}"
    return f"Insentif PSM {month}"


def bank_rows(run: PayrollRun) -> Iterator[list]:
    lines = run.lines.select_related("kelurahan").order_by("kecamatan__code", "kelurahan__code", "name", "id")
    for n, line in enumerate(lines.iterator(chunk_size=5000), start=1):
        yield [
            n,
            line.account_number,
            line.account_holder,
            line.bank_name,
            int(line.amount),
            description(line),
            line.name,
            line.kelurahan.name,
        ]


def filename(run: PayrollRun, ext: str) -> str:
    return f"insentif-psm-{run.period:%Y-%m}-{run.status}.{ext}"


def bank_csv(run: PayrollRun) -> bytes:
    # Semicolons: spreadsheet programs with Indonesian settings read a comma as the decimal separator.
    # Cells are escaped like every other file Pilar writes: an account holder typed as "=..." stays text.
    return "".join(csv_lines([HEADER, *bank_rows(run)], delimiter=";")).encode("utf-8")


def bank_xlsx(run: PayrollRun) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet(f"Insentif {run.period:%Y-%m}")
    bold, text = book.add_format({"bold": True}), book.add_format({"num_format": "@"})
    money = book.add_format({"num_format": "#,##0"})
    for col, title in enumerate(HEADER):
        sheet.write_string(0, col, title, bold)
    total = 0
    row_no = 0
    for row_no, row in enumerate(bank_rows(run), start=1):
        sheet.write_number(row_no, 0, row[0])
        row = safe_row(row)
        sheet.write_string(row_no, 1, row[1], text)  # leading zeros of account numbers must survive
        for col in (2, 3):
            sheet.write_string(row_no, col, row[col])
        sheet.write_number(row_no, 4, row[4], money)
        for col in (5, 6, 7):
            sheet.write_string(row_no, col, row[col])
        total += row[4]
    sheet.write_string(row_no + 1, 3, "Jumlah", bold)
    sheet.write_number(row_no + 1, 4, total, money)
    sheet.set_column(1, 3, 24)
    sheet.set_column(5, 7, 30)
    book.close()
    return buffer.getvalue()
