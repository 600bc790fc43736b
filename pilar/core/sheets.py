"""Reading an uploaded CSV or XLSX as rows of strings, streamed, with clear messages for bad files; and the error
file an import writes beside it (one line per problem). Domain-free: the registry import and the worker roster
import both read their sheets and report their problems through here.
"""

import codecs
import csv
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from pilar.core.cells import safe_row

# One problem of an import: sheet row (0: the file as a whole), column title, Pilar's field, name, value, message.
Problem = tuple[int, str, str, str, str, str]

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # 200 MB: about 1.4 million rows of the template
XLSX_MAGIC = b"PK\x03\x04"  # an XLSX is a zip archive
_SNIFF = 64 * 1024


class FileError(ValueError):
    """The file as a whole cannot be read; ``message`` is ready to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_file(path: Path) -> str:
    """``"csv"`` or ``"xlsx"``; raises :class:`FileError` for an empty, oversized or unreadable file."""
    size = path.stat().st_size
    if size == 0:
        raise FileError(_("Berkas kosong."))
    if size > MAX_IMPORT_BYTES:
        raise FileError(
            _("Berkas terlalu besar (%(size)d MB); batasnya %(limit)d MB. Pecah menjadi beberapa berkas.")
            % {"size": size // (1024 * 1024), "limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    with path.open("rb") as fh:
        head = fh.read(_SNIFF)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if not head.startswith(XLSX_MAGIC):
            raise FileError(_("Berkas bukan XLSX yang valid. Simpan ulang dari Excel sebagai .xlsx."))
        return "xlsx"
    if suffix in (".csv", ".txt"):
        if b"\x00" in head:
            raise FileError(_("Berkas bukan CSV teks. Simpan ulang dari Excel sebagai CSV (UTF-8)."))
        return "csv"
    raise FileError(_("Jenis berkas tidak didukung: gunakan .csv atau .xlsx."))


def _encoding(head: bytes) -> str:
    try:
        # A cut in the middle of a multi-byte character at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"  # Excel on Indonesian Windows saves "CSV" in the ANSI code page


def _delimiter(first_line: str) -> str:
    # Excel with the Indonesian locale (decimal comma) separates with semicolons.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def count_rows(path: Path, kind: str) -> int:
    """Data rows (without the header), counted cheaply before the import so progress has a total."""
    if kind == "xlsx":
        return max(int(_xlsx_sheet(path).height) - 1, 0)
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return max(lines + (last != b"\n") - 1, 0)


def iter_rows(path: Path, kind: str) -> Iterator[list[str]]:
    """The header first, then each row; every cell a stripped string."""
    return _xlsx_rows(_xlsx_sheet(path)) if kind == "xlsx" else _csv_rows(path)


def counted_rows(path: Path, kind: str) -> tuple[int, Iterator[list[str]]]:
    """:func:`count_rows` and :func:`iter_rows` together; an XLSX is parsed once for both (calamine reads the
    whole sheet to know its height)."""
    if kind == "xlsx":
        sheet = _xlsx_sheet(path)
        return max(int(sheet.height) - 1, 0), _xlsx_rows(sheet)
    return count_rows(path, kind), _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as fh:
        encoding = _encoding(fh.read(_SNIFF))
    with path.open(encoding=encoding, newline="", errors="replace") as fh:
        first = fh.readline()
        fh.seek(0)
        strip = str.strip
        for row in csv.reader(fh, delimiter=_delimiter(first)):
            yield list(map(strip, row))


def _xlsx_sheet(path: Path) -> Any:
    from python_calamine import CalamineWorkbook  # only when an XLSX is read: a heavy extension module

    try:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises several error types for a damaged archive
        raise FileError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc


def _cell(value: object) -> str:
    # Dates typed as dates come back as date/datetime; numbers typed as numbers as float (a NIK
    # typed as a number has lost its precision already, and the NIK check will say so).
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip() if value is not None else ""


def _xlsx_rows(sheet: Any) -> Iterator[list[str]]:
    try:
        for row in sheet.iter_rows():
            # Text cells are most of a sheet: stripped in place, without a call per cell.
            yield [value.strip() if type(value) is str else _cell(value) for value in row]
    except FileError:
        raise
    except Exception as exc:
        raise FileError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc


class ErrorLog:
    """Problems written to a temporary CSV as they are found, so a million bad rows cost no memory."""

    def __init__(self) -> None:
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.file)
        # The sheet's row number and column title as the user sees them in Excel, Pilar's field beside them.
        self.writer.writerow([_("Baris"), _("Kolom"), _("Kolom Pilar"), _("Nama"), _("Nilai"), _("Pesan")])
        self.count = 0  # problems
        self.rows: set[int] = set()  # rows with at least one problem
        self.first: list[Problem] = []
        self.warnings = 0  # plausibility warnings: the refused rows' (also in ``count``) and the accepted ones

    def warn(self, problem: Problem) -> None:
        """An accepted warning: listed in the report, the row imported all the same (not a problem)."""
        self.writer.writerow(safe_row(list(problem)))
        self.warnings += 1

    def add(self, problem: Problem) -> None:
        # The value comes from the uploaded file: a cell typed as "=..." must not run when the error file is opened.
        self.writer.writerow(safe_row(list(problem)))
        self.count += 1
        if problem[5].startswith(_("Peringatan: ")):
            self.warnings += 1
        if problem[0]:
            self.rows.add(problem[0])
        if len(self.first) < 20:
            self.first.append(problem)

    def content(self) -> str:
        self.file.flush()
        self.file.seek(0)
        return self.file.read()

    def as_django_file(self, name: str) -> File[bytes]:
        return ContentFile(self.content().encode("utf-8-sig"), name=name)

    def close(self) -> None:
        self.file.close()
