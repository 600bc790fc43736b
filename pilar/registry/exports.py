"""Streaming exports of a filtered PPKS list (CSV, XLSX): a million rows without holding them in memory.

Rows come from ``values_list(...).iterator(chunk_size=5000)`` (tuples, no model instances); NIK and
No. KK are masked unless the user holds ``Perm.PPKS_VIEW_PERSONAL``.
"""

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.nik import mask_identifier
from pilar.registry.models import PpksRecord, PpksStatus

CHUNK = 5000
FORMULA_PREFIXES = frozenset("=+-@\t\r")  # a cell starting with these runs as a formula in a spreadsheet
FIELDS = ("id", "person__nik", "person__name", "person__sex", "person__birth_date", "household__kk_number",
          "category__code", "category__name", "status", "kecamatan__name", "kelurahan__name", "rt", "rw", "address",
          "proposed_at", "kecamatan_id", "kelurahan_id")  # fmt: skip
STATUS_LABELS = dict(PpksStatus.choices)


def headers() -> list[str]:
    return [
        _("ID"), _("NIK"), _("Nama"), _("Jenis Kelamin"), _("Tanggal Lahir"), _("No KK"), _("Kode PPKS"),
        _("Kategori PPKS"), _("Status"), _("Kecamatan"), _("Kelurahan"), _("RT"), _("RW"), _("Alamat"),
        _("Diusulkan pada"),
    ]  # fmt: skip


def rows(queryset: QuerySet[PpksRecord], user: Any) -> Iterator[list[str]]:
    # A TKSK sees whole NIKs only in their kecamatan, so outside city-wide roles it is decided per row.
    access = access_for(user)
    personal = Perm.PPKS_VIEW_PERSONAL in access.perms
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    for pk, nik, name, sex, born, kk, code, category, status, kec, kel, rt, rw, address, proposed, kec_id, kel_id in (
        queryset.order_by("id").values_list(*FIELDS).iterator(chunk_size=CHUNK)
    ):
        whole = personal and (access.city_wide or access.covers(kecamatan_id=kec_id, village_id=kel_id))
        yield [
            str(pk), (nik if whole else mask_identifier(nik)) or "", name or "", sex or "",
            born.isoformat() if born else "", (kk if whole else mask_identifier(kk)) or "", code, category,
            statuses.get(status, status), kec or "", kel or "", rt, rw, address,
            timezone.localtime(proposed).strftime("%Y-%m-%d %H:%M") if proposed else "",
        ]  # fmt: skip


def _safe(cell: str) -> str:
    if cell[:1] in FORMULA_PREFIXES and not cell[1:].isdigit():
        return "'" + cell
    return cell


class _Echo:
    """A pseudo-buffer: csv.writer hands each line straight to the streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(queryset: QuerySet[PpksRecord], user: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens the file as UTF-8
    yield writer.writerow(headers())
    for row in rows(queryset, user):
        yield writer.writerow([_safe(cell) for cell in row])


def _filename(extension: str) -> str:
    return f"data-ppks-{timezone.localdate():%Y%m%d}.{extension}"


def export_csv(queryset: QuerySet[PpksRecord], user: Any) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(queryset, user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def export_xlsx(queryset: QuerySet[PpksRecord], user: Any) -> FileResponse:
    # constant_memory flushes each row to disk; the unnamed temporary file vanishes once sent.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    book = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = book.add_worksheet(_("Data PPKS"))
    sheet.set_column(0, 14, 18)
    sheet.write_row(0, 0, headers(), book.add_format({"bold": True}))
    for index, row in enumerate(rows(queryset, user), start=1):
        for column, cell in enumerate(row):
            sheet.write_string(index, column, cell)  # always text: NIKs must not turn into numbers
    book.close()
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
