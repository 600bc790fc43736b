"""Workforce exports (CSV, XLSX) of a filtered list, built row by row so 1,000+ workers stay cheap.

NIK and bank account numbers are masked unless the user may see them whole (UU PDP).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.permissions import Perm, can
from pilar.identity.kk import mask_account
from pilar.workers.models import Worker

CHUNK = 2000
# Spreadsheet programs run a cell starting with these as a formula (CSV injection).
FORMULA_PREFIXES = frozenset("=+-@\t\r")


def headers() -> list[str]:
    return [
        _("Nama"), _("NIK"), _("Peran"), _("Status"), _("Tanggal status"), _("Kecamatan"), _("Kelurahan"),
        _("Bertugas sejak"), _("Nomor HP"), _("Bank"), _("Nomor rekening"), _("Nama pemilik rekening"),
    ]  # fmt: skip


def rows(workers: QuerySet[Worker], user: Any) -> Iterator[list[str]]:
    for worker in workers.iterator(chunk_size=CHUNK):
        whole = can(user, Perm.WORKER_VIEW_PERSONAL, worker)
        person = worker.person
        account = worker.account_number
        if account and not whole:
            account = mask_account(account)
        yield [
            person.name,
            (person.nik if whole else person.masked_nik) or "",
            worker.get_role_display(),
            worker.get_status_display(),
            worker.status_date.isoformat(),
            worker.kecamatan.name,
            worker.kelurahan.name if worker.kelurahan_id else "",
            worker.joined_on.isoformat(),
            person.phone,
            worker.bank_name,
            account,
            worker.account_holder if whole else "",
        ]


def _filename(extension: str) -> str:
    return f"pekerja-sosial-{timezone.localdate():%Y%m%d}.{extension}"


def _safe(cell: str) -> str:
    # A phone number like +62812… is data, not a formula; only text that could run is neutralised.
    if cell[:1] in FORMULA_PREFIXES and not cell[1:].isdigit():
        return "'" + cell
    return cell


class _Echo:
    """A pseudo-buffer: csv.writer hands each line straight to the streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens the file as UTF-8
    for row in table:
        yield writer.writerow([_safe(cell) for cell in row])


def csv_response(workers: QuerySet[Worker], user: Any) -> StreamingHttpResponse:
    table = (line for part in ([headers()], rows(workers, user)) for line in part)
    response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(workers: QuerySet[Worker], user: Any) -> FileResponse:
    # constant_memory writes each row to disk as it comes. FileResponse closes the file once sent,
    # and a TemporaryFile has no name on disk, so nothing is left behind.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet(_("Pekerja sosial"))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 11, 18)
    sheet.write_row(0, 0, headers(), workbook.add_format({"bold": True}))
    for index, row in enumerate(rows(workers, user), start=1):
        for column, cell in enumerate(row):
            sheet.write_string(index, column, cell)  # strings always: NIKs must not become numbers
    workbook.close()
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


FORMATS = {"csv": csv_response, "xlsx": xlsx_response}
