"""Streaming exports of a filtered PPKS list (CSV, XLSX): a million rows without holding them in memory.

Rows come from ``values_list(...).iterator(chunk_size=5000)`` (tuples, no model instances). Every personal
value goes through the field-visibility table (``pilar.accounts.visibility``), as on the pages and the API:
a column the user may not see is left out, and a row outside a TKSK's or PSM's own area is shown as the
table says for it. Every cell goes through ``safe_cell`` (no formulas).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.visibility import Level, Visibility, visibility_for
from pilar.core.cells import csv_lines, xlsx_file
from pilar.registry.models import PpksRecord, PpksStatus

CHUNK = 5000
FIELDS = ("id", "person__nik", "person__name", "person__sex", "person__birth_date", "household__kk_number",
          "category__code", "category__name", "status", "kecamatan__name", "kelurahan__name", "rt", "rw", "address",
          "proposed_at", "kecamatan_id", "kelurahan_id")  # fmt: skip
STATUS_LABELS = dict(PpksStatus.choices)


@dataclass(frozen=True)
class Row:
    """One record as read from the database, before the visibility rules."""

    pk: int
    nik: str | None
    name: str | None
    sex: str | None
    born: date | None
    kk: str | None
    code: str
    category: str
    status: str
    kecamatan: str | None
    kelurahan: str | None
    rt: str
    rw: str
    address: str
    proposed: datetime | None
    area: tuple[int | None, int | None]


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _birth_date(row: Row, view: Visibility) -> str:
    born = view.birth_date(row.born)
    return born.isoformat() if born else ""


def columns(columns_view: Visibility) -> list[tuple[str, Any]]:
    """``(header, cell)`` for each column the user may see: the columns are the same on every row."""
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    born = columns_view.level("birth_date")
    wanted: list[tuple[bool, str, Any]] = [
        (True, _("ID"), lambda r, v: str(r.pk)),
        (columns_view.shows("nik"), _("NIK"), lambda r, v: v.nik(r.nik) or ""),
        (columns_view.shows("name"), _("Nama"), lambda r, v: v.name(r.name)),
        (True, _("Jenis Kelamin"), lambda r, v: r.sex or ""),
        (born == Level.FULL, _("Tanggal Lahir"), _birth_date),
        (born == Level.AGE, _("Umur"), lambda r, v: "" if v.age(r.born) is None else str(v.age(r.born))),
        (columns_view.shows("kk_number"), _("No KK"), lambda r, v: v.kk(r.kk) or ""),
        (True, _("Kode PPKS"), lambda r, v: r.code),
        (True, _("Kategori PPKS"), lambda r, v: r.category),
        (True, _("Status"), lambda r, v: statuses.get(r.status, r.status)),
        (True, _("Kecamatan"), lambda r, v: r.kecamatan or ""),
        (True, _("Kelurahan"), lambda r, v: r.kelurahan or ""),
        (columns_view.shows("address"), _("RT"), lambda r, v: v.rt_rw(r.rt)),
        (columns_view.shows("address"), _("RW"), lambda r, v: v.rt_rw(r.rw)),
        (columns_view.level("address") == Level.FULL, _("Alamat"), lambda r, v: v.address(r.address)),
        (True, _("Diusulkan pada"), lambda r, v: _when(r.proposed)),
    ]  # fmt: skip
    return [(header, cell) for shown, header, cell in wanted if shown]


def headers(user: Any) -> list[str]:
    return [header for header, _cell in columns(visibility_for(user))]


def rows(queryset: QuerySet[PpksRecord], user: Any) -> Iterator[list[str]]:
    cells = [cell for _header, cell in columns(visibility_for(user))]
    # A TKSK or PSM sees more inside its own area than outside it: decided per row, once per area.
    views: dict[tuple[int | None, int | None], Visibility] = {}
    for values in queryset.order_by("id").values_list(*FIELDS).iterator(chunk_size=CHUNK):
        row = Row(*values[:15], area=(values[15], values[16]))
        view = views.get(row.area) or views.setdefault(row.area, visibility_for(user, area=row.area))
        yield [cell(row, view) for cell in cells]


def _filename(extension: str) -> str:
    return f"data-ppks-{timezone.localdate():%Y%m%d}.{extension}"


def export_csv(queryset: QuerySet[PpksRecord], user: Any) -> StreamingHttpResponse:
    table = (line for part in ([headers(user)], rows(queryset, user)) for line in part)
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def export_xlsx(queryset: QuerySet[PpksRecord], user: Any) -> FileResponse:
    return FileResponse(
        xlsx_file(_("Data PPKS"), headers(user), rows(queryset, user)), as_attachment=True,
        filename=_filename("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
