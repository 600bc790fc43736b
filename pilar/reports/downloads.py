"""Tables of figures as XLSX (numbers as numbers, frozen header, filters, widths, a totals row) or CSV.

Every cell goes through ``pilar.core.cells`` (text that would run as a formula is neutralised).
"""

import tempfile
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils import timezone

from pilar.core.cells import XLSX_CONTENT_TYPE, csv_lines, safe_cell


def write_table(
    book: Any, sheet: Any, top: int, header: list[str], rows: list[list[Any]], totals: list[Any] | None
) -> int:
    """The table from row ``top``: bold header frozen with filters, numbers with thousands dots; the next free row."""
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F5", "border": 1, "text_wrap": True})
    formats = {}
    for name, extra in (("body", {}), ("total", {"bold": True, "top": 2})):
        formats[name] = {
            kind: book.add_format({**({"num_format": f} if f else {}), "border": 1, **extra})
            for kind, f in NUMBER_FORMATS.items()
        }
    sheet.write_row(top, 0, [safe_cell(h) for h in header], bold)
    widths = [max(len(str(h)), 6) for h in header]
    for i, row in enumerate(rows, start=top + 1):
        for j, cell in enumerate(row):
            _write(sheet, i, j, cell, formats["body"])
            widths[j] = max(widths[j], len(str(cell)) + 2)
    last = top + len(rows)
    sheet.autofilter(top, 0, max(last, top), len(header) - 1)
    sheet.freeze_panes(top + 1, 1)
    if totals is not None:
        last += 1
        for j, cell in enumerate(totals):
            _write(sheet, last, j, cell, formats["total"])
    for j, w in enumerate(widths):
        sheet.set_column(j, j, min(w, 48))
    return last + 1


class Money(int):
    """A rupiah amount: written with the Rp format."""


class Percent(float):
    """A fraction (0.85): written as a percentage."""


# Cell kind -> Excel number format (None: text). Excel shows the separators of the reader's locale.
NUMBER_FORMATS = {"text": None, "int": "#,##0", "money": '"Rp" #,##0', "percent": "0.0%", "decimal": "#,##0.0"}


def _kind(cell: Any) -> str:
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return "text"
    if isinstance(cell, Money):
        return "money"
    if isinstance(cell, Percent):
        return "percent"
    return "decimal" if isinstance(cell, float) else "int"


def _write(sheet: Any, row: int, col: int, cell: Any, formats: dict[str, Any]) -> None:
    kind = _kind(cell)
    if kind == "text":
        sheet.write_string(row, col, str(safe_cell("" if cell is None else str(cell))), formats["text"])
    else:
        sheet.write_number(row, col, cell, formats[kind])


def xlsx_table(title: str, header: list[str], rows: list[list[Any]], totals: list[Any] | None) -> IO[bytes]:
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (closed by the response that sends it)
    book = xlsxwriter.Workbook(output)
    sheet = book.add_worksheet(title[:31])
    write_table(book, sheet, 0, header, rows, totals)
    book.close()
    output.seek(0)
    return output


def table_download(
    kind: str, title: str, header: list[str], rows: list[list[Any]], totals: list[Any] | None, stem: str
) -> HttpResponseBase:
    name = f"{stem}-{timezone.localdate():%Y%m%d}.{kind}"
    if kind == "csv":
        lines = csv_lines([header, *rows, *([totals] if totals else [])])
        response = HttpResponse("".join(lines).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        xlsx_table(title, header, rows, totals), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE
    )
