"""One rule for every cell Pilar writes to a CSV or XLSX file: text never runs as a formula.

Spreadsheet programs treat a cell that starts with = + - @ (or a tab or carriage return, which some strip
first) as a formula: a name typed as ``=HYPERLINK(...)`` would run on the office's computer (CSV injection,
OWASP). Such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers written as
numbers, and text that is only a sign and digits (``+6281234``, ``-5``), cannot run and are left as they are.

Columns may be typed (:class:`Kind`): numbers and dates are written to an XLSX as real numbers and dates with
an Indonesian date format, and to a CSV as text.
"""

import csv
import io
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name, xl_range

# The media type of every XLSX file Pilar answers with.
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _minutes(moment: datetime) -> str:
    return f"{_local(moment):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Kind:
    """How a column's values are written: as XLSX cells (``xml``: text, number, date or datetime, shown with
    ``num_format``, ``width`` characters wide) and as CSV text (``text``; None: ``str``, which the csv module
    applies itself)."""

    xml: str
    num_format: str
    width: int
    text: Callable[[Any], str] | None = None


TEXT = Kind("text", "@", 18)  # "@": what is typed later into the column stays text too (NIKs, RT 001)
NUMBER = Kind("number", "0", 10)
DATE = Kind("date", "dd-mm-yyyy", 12)  # in a CSV: 2026-12-07 (str of a date)
DATETIME = Kind("datetime", "dd-mm-yyyy hh:mm", 17, _minutes)  # in a CSV: 2026-12-07 14:05, local time


def csv_lines(
    rows: Iterable[list[Any]],
    *,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
    kinds: Sequence[Kind] = (),
) -> Iterator[str]:
    """A CSV file line by line, escaped cell by cell; starts with a BOM so that Excel reads it as UTF-8.

    ``kinds``: the columns' kinds when the rows carry typed values (dates, numbers); None is an empty cell."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator=lineterminator)
    typed = [(column, text) for column, kind in enumerate(kinds) if (text := kind.text) is not None]
    yield "\ufeff"
    for row in rows:
        for column, text in typed:
            if row[column] is not None and not isinstance(row[column], str):  # a header, or text already
                row[column] = text(row[column])
        yield writer.writerow(safe_row(row))


# --- XLSX -------------------------------------------------------------------------------------------------------
#
# XlsxWriter writes the workbook around the rows: styles and number formats, the bold frozen header, the filter,
# the column widths. The rows themselves, the only part that grows with the export, are written here as the
# sheet's XML, one string per row: XlsxWriter's per-cell calls and its closing cost ~5.4 µs of CPU a cell, these
# ~1.3 µs with the compression (a whole registry is 15 million cells; bench/RESULTS.md, 2026-12-07). The cells
# follow the rules of XlsxWriter's constant-memory mode: in-line strings, XML and control characters escaped.

SHEET = "xl/worksheets/sheet1.xml"
# The sheet's XML repeats itself: the fastest deflate level makes a file ~20 % larger than the default level, in
# 40 % of its time (bench/RESULTS.md, 2026-12-07).
COMPRESS_LEVEL = 1
MAX_ROWS = 1_048_575  # data rows under the header: Excel's sheets end at row 1,048,576
_EPOCH = date(1899, 12, 30).toordinal()  # Excel's day 0 (1900 date system), from March 1900 on
_NEEDS_WORK = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_|^\s|\s$")
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
CellXml = Callable[[Any, str], str]


def _xml_text(value: str) -> str:
    """The ``<t>`` element's attributes and content for ``value``, as Excel itself escapes it."""
    value = _EXCEL_ESCAPE.sub(r"_x005F\1", value)  # a literal "_x0041_" must not be read back as "A"
    value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)  # not allowed in XML
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' xml:space="preserve">{value}' if value[:1].isspace() or value[-1:].isspace() else f">{value}"


def _text_cell(letter: str, style: int) -> CellXml:
    head = f'<c r="{letter}'
    middle = f'" s="{style}" t="inlineStr"><is><t'

    def cell(value: Any, row: str) -> str:
        if value is None or value == "":
            return ""
        if value.__class__ is not str:
            value = str(value)
        if value[0] in FORMULA_PREFIXES:
            value = safe_cell(value)
        if _NEEDS_WORK.search(value):
            return f"{head}{row}{middle}{_xml_text(value)}</t></is></c>"
        return f"{head}{row}{middle}>{value}</t></is></c>"

    return cell


def _number_cell(letter: str, style: int) -> CellXml:
    head, middle = f'<c r="{letter}', f'" s="{style}"><v>'

    def cell(value: Any, row: str) -> str:
        if value is None or value == "":
            return ""
        if value.__class__ is not int:
            value = float(value)  # a number, or an error here rather than a damaged file
            if not math.isfinite(value):
                return ""
        return f"{head}{row}{middle}{value}</v></c>"

    return cell


def _serial(day: date) -> float | None:
    serial = day.toordinal() - _EPOCH
    return serial if serial >= 61 else None  # before March 1900 Excel's calendar is off by a day (and 1900 leaps)


def _date_cell(letter: str, style: int, *, with_time: bool = False) -> CellXml:
    head, middle = f'<c r="{letter}', f'" s="{style}"><v>'
    as_text = _text_cell(letter, style)

    def cell(value: Any, row: str) -> str:
        if value is None or value == "":
            return ""
        if with_time and isinstance(value, datetime):
            value = _local(value)  # the office's day and hour: a sheet's dates have no time zone
        serial = _serial(value)
        if serial is None:  # no date Excel can show: the value as text rather than a wrong day
            return as_text(value.isoformat(), row)
        if with_time and isinstance(value, datetime):
            serial += (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return f"{head}{row}{middle}{serial}</v></c>"

    return cell


def _cell_xml(kind: Kind, column: int, style: int) -> CellXml:
    letter = xl_col_to_name(column)
    if kind.xml == "number":
        return _number_cell(letter, style)
    if kind.xml in ("date", "datetime"):
        return _date_cell(letter, style, with_time=kind.xml == "datetime")
    return _text_cell(letter, style)


def _frame(sheet_name: str, header: list[str], kinds: Sequence[Kind], rows: int) -> tuple[bytes, list[int]]:
    """XlsxWriter's workbook with the header only and a filter over ``rows`` data rows, and each column's
    style number for the cells written into it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    formats: dict[str, Any] = {}
    for column, (title, kind) in enumerate(zip(header, kinds, strict=True)):
        if kind.num_format not in formats:
            formats[kind.num_format] = book.add_format({"num_format": kind.num_format})
        sheet.set_column(column, column, max(kind.width, len(title) + 3), formats[kind.num_format])
    sheet.write_row(0, 0, safe_row(header), book.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, rows, max(len(header) - 1, 0))
    book.close()
    return buffer.getvalue(), [formats[kind.num_format].xf_index for kind in kinds]


def _write_rows(out: IO[bytes], rows: Iterable[list[Any]], cells: list[CellXml]) -> int:
    """The ``<row>`` elements of the data rows (from sheet row 2) into ``out``; the number of rows."""
    count, lines = 0, list[str]()
    for count, values in enumerate(rows, start=1):  # noqa: B007  (count is read after the loop)
        if count > MAX_ROWS:  # a longer sheet would not open: say so rather than cut rows off unseen
            raise ValueError(
                _("Berkas XLSX paling banyak %(max)s baris data. Saring daftarnya lebih sempit, atau unduh CSV.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        row = str(count + 1)
        lines.append(f'<row r="{row}">{"".join([cell(v, row) for cell, v in zip(cells, values, strict=True)])}</row>')
        if len(lines) >= 1000:
            out.write("".join(lines).encode())
            lines.clear()
    out.write("".join(lines).encode())
    return count


def _assemble(output: IO[bytes], frame: bytes, body: IO[bytes], dimension: str) -> None:
    """The workbook into ``output``: XlsxWriter's parts as they are, the rows in ``body`` into the sheet's
    ``<sheetData>`` after the header row, and the sheet's dimension (its used range) made ``dimension``."""
    with (
        zipfile.ZipFile(io.BytesIO(frame)) as parts,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as book,
    ):
        for name in parts.namelist():
            data = parts.read(name)
            if name != SHEET:
                book.writestr(name, data)
                continue
            head, end, tail = data.partition(b"</sheetData>")
            head, found = _DIMENSION.subn(f'<dimension ref="{dimension}"/>'.encode(), head, count=1)
            if not end or not found:
                raise RuntimeError("XlsxWriter's sheet has no <sheetData> or <dimension> to fill")
            size = len(head) + body.tell() + len(end) + len(tail)
            body.seek(0)
            with book.open(name, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as sheet:
                sheet.write(head)
                while block := body.read(1 << 20):
                    sheet.write(block)
                sheet.write(end + tail)


def xlsx_file(
    sheet_name: str, header: list[str], rows: Iterable[list[Any]], *, kinds: Sequence[Kind] = ()
) -> IO[bytes]:
    """An XLSX workbook in a nameless temporary file (rewound): a bold header row, frozen, with filters and
    column widths; rows go to disk as they come, so memory stays flat whatever their number.

    ``kinds``: each column's :class:`Kind` (default: all text, so NIKs never turn into numbers). Every text cell
    is escaped like a CSV cell.
    """
    kinds = list(kinds) or [TEXT] * len(header)
    _bytes, styles = _frame(sheet_name, header, kinds, 0)  # the style numbers do not depend on the row count
    cells = [_cell_xml(kind, column, style) for column, (kind, style) in enumerate(zip(kinds, styles, strict=True))]
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (closed by whoever sends or stores it)
    try:
        with tempfile.TemporaryFile() as body:
            count = _write_rows(body, rows, cells)
            frame, final_styles = _frame(sheet_name, header, kinds, count)
            if final_styles != styles:
                raise RuntimeError("XlsxWriter numbered the column styles differently the second time")
            _assemble(output, frame, body, xl_range(0, 0, count, len(header) - 1))
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output
