"""One rule for every cell Pilar writes to a CSV or XLSX file: text never runs as a formula.

Spreadsheet programs treat a cell that starts with = + - @ (or a tab or carriage return, which some strip
first) as a formula: a name typed as ``=HYPERLINK(...)`` would run on the office's computer (CSV injection,
OWASP). Such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers written as
numbers, and text that is only a sign and digits (``+6281234``, ``-5``), cannot run and are left as they are.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

import xlsxwriter

FORMULA_PREFIXES = frozenset("=+-@\t\r\n")


def safe_cell(value: Any) -> Any:
    """``value`` as it may be written to a spreadsheet cell; non-text values pass through."""
    if not isinstance(value, str) or value[:1] not in FORMULA_PREFIXES:
        return value
    if value[:1] in "+-" and value[1:].isdigit() and value[1:].isascii():
        return value
    return "'" + value


def safe_row(row: list[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in row]


class _Echo:
    """A pseudo-buffer: csv.writer hands each line straight back, so a response can stream it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[Any]], *, delimiter: str = ",", lineterminator: str = "\r\n") -> Iterator[str]:
    """A CSV file line by line, escaped cell by cell; starts with a BOM so that Excel reads it as UTF-8."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator=lineterminator)
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(safe_row(row))


def xlsx_file(sheet_name: str, header: list[str], rows: Iterable[list[str]], *, width: int = 18) -> IO[bytes]:
    """An XLSX workbook of text cells in a nameless temporary file (rewound); rows go to disk as they come.

    Every cell is written as text (NIKs must not turn into numbers) and escaped like a CSV cell.
    """
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (closed by the response that sends it)
    book = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = book.add_worksheet(sheet_name)
    sheet.set_column(0, max(len(header) - 1, 0), width)
    sheet.write_row(0, 0, safe_row(header), book.add_format({"bold": True}))
    for index, row in enumerate(rows, start=1):
        for column, cell in enumerate(safe_row(row)):
            sheet.write_string(index, column, cell)
    book.close()
    output.seek(0)
    return output
