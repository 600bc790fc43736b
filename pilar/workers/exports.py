"""Workforce exports (CSV, XLSX) of a filtered list, built row by row so 1,000+ workers stay cheap.

Personal fields follow the visibility table (``pilar.accounts.visibility``, workers' row); every cell is escaped.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.visibility import Level
from pilar.core.cells import XLSX_CONTENT_TYPE, csv_lines, xlsx_file
from pilar.workers.models import Worker
from pilar.workers.selectors import worker_view

CHUNK = 2000


def headers() -> list[str]:
    return [
        _("Nama"),
        _("NIK"),
        _("Peran"),
        _("Status"),
        _("Tanggal status"),
        _("Kecamatan"),
        _("Kelurahan"),
        _("Bertugas sejak"),
        _("Nomor HP"),
        _("Bank"),
        _("Nomor rekening"),
        _("Nama pemilik rekening"),
    ]


def rows(workers: QuerySet[Worker], user: Any) -> Iterator[list[str]]:
    for worker in workers.iterator(chunk_size=CHUNK):
        view = worker_view(user, worker)
        person = worker.person
        whole = view.level("bank_account") == Level.FULL
        yield [
            view.name(person.name),
            view.nik(person.nik) or "",
            worker.get_role_display(),
            worker.get_status_display(),
            worker.status_date.isoformat(),
            worker.kecamatan.name,
            worker.kelurahan.name if worker.kelurahan is not None else "",
            worker.joined_on.isoformat(),
            view.phone(person.phone),
            worker.bank_name if view.shows("bank_account") else "",
            view.bank_account(worker.account_number) or "",
            worker.account_holder if whole else "",
        ]


def _filename(extension: str) -> str:
    return f"pekerja-sosial-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(workers: QuerySet[Worker], user: Any) -> StreamingHttpResponse:
    table = (line for part in ([headers()], rows(workers, user)) for line in part)
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(workers: QuerySet[Worker], user: Any) -> FileResponse:
    return FileResponse(
        xlsx_file(_("Pekerja sosial"), headers(), rows(workers, user)),
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


FORMATS = {"csv": csv_response, "xlsx": xlsx_response}
