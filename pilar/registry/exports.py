"""Streaming exports of a filtered PPKS list (CSV, XLSX): a million rows without holding them in memory.

Rows come from ``values_list(...).iterator(chunk_size=5000)`` (tuples, no model instances). Every personal
value goes through the field-visibility table (``pilar.accounts.visibility``), as on the pages and the API:
a column the user may not see is left out, and a row outside a TKSK's or PSM's own area is shown as the
table says for it. Every cell goes through ``safe_cell`` (no formulas). IDs and ages are numbers, dates are dates
(``pilar.core.cells.Kind``): real numbers and dates in an XLSX, text in a CSV.

Two layouts of columns: Pilar's own (``columns``) and the ministry's BNBA (``pilar.registry.bnba``).
Up to ``PILAR_EXPORT_STREAM_MAX_ROWS`` rows stream from the request; above, the task worker writes the
file (``write_file``, ``pilar.registry.export_jobs``) and the user downloads it when it is ready.
"""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import IO, Any, NamedTuple

from django.db.models import F, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.visibility import Level, Visibility, visibility_for
from pilar.core.cells import DATE, DATETIME, NUMBER, TEXT, XLSX_CONTENT_TYPE, Kind, csv_lines, xlsx_file
from pilar.registry.models import PpksRecord, PpksStatus

CHUNK = 5000
FIELDS = (
    "id",
    "person__nik",
    "person__name",
    "person__sex",
    "person__birth_date",
    "household__kk_number",
    "category__code",
    "category__name",
    "status",
    "kecamatan__name",
    "kelurahan__name",
    "rt",
    "rw",
    "address",
    "proposed_at",
    "person__birth_place",
    "kecamatan_id",
    "kelurahan_id",
)
STATUS_LABELS = dict(PpksStatus.choices)


class Row(NamedTuple):
    """One record as read from the database, before the visibility rules (a tuple: a million are made)."""

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
    birth_place: str | None
    area: tuple[int | None, int | None]


Cell = Any  # (Row, Visibility) -> the value shown


def columns(columns_view: Visibility) -> list[tuple[str, Cell, Kind]]:
    """``(header, cell, kind)`` for each column the user may see: the columns are the same on every row."""
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    born = columns_view.level("birth_date")
    wanted: list[tuple[bool, str, Cell, Kind]] = [
        (True, _("ID"), lambda r, v: r.pk, NUMBER),
        (columns_view.shows("nik"), _("NIK"), lambda r, v: v.nik(r.nik) or "", TEXT),
        (columns_view.shows("name"), _("Nama"), lambda r, v: v.name(r.name), TEXT),
        (True, _("Jenis Kelamin"), lambda r, v: r.sex or "", TEXT),
        (born == Level.FULL, _("Tanggal Lahir"), lambda r, v: v.birth_date(r.born), DATE),
        (born == Level.AGE, _("Umur"), lambda r, v: v.age(r.born), NUMBER),
        (columns_view.shows("kk_number"), _("No KK"), lambda r, v: v.kk(r.kk) or "", TEXT),
        (True, _("Kode PPKS"), lambda r, v: r.code, TEXT),
        (True, _("Kategori PPKS"), lambda r, v: r.category, TEXT),
        (True, _("Status"), lambda r, v: statuses.get(r.status, r.status), TEXT),
        (True, _("Kecamatan"), lambda r, v: r.kecamatan or "", TEXT),
        (True, _("Kelurahan"), lambda r, v: r.kelurahan or "", TEXT),
        (columns_view.shows("address"), _("RT"), lambda r, v: v.rt_rw(r.rt), TEXT),
        (columns_view.shows("address"), _("RW"), lambda r, v: v.rt_rw(r.rw), TEXT),
        (columns_view.level("address") == Level.FULL, _("Alamat"), lambda r, v: v.address(r.address), TEXT),
        (True, _("Diusulkan pada"), lambda r, v: r.proposed, DATETIME),
    ]
    return [(header, cell, kind) for shown, header, cell, kind in wanted if shown]


def headers(user: Any, layout: str = "pilar") -> list[str]:
    if layout == "dtks":  # the BNBA columns the dtks import profile reads back (pilar.registry.bnba)
        return [title for title, _field, _cell in bnba_columns(user)]
    return [header for header, _cell, _kind in columns(visibility_for(user))]


def kinds(user: Any, layout: str = "pilar") -> list[Kind]:
    """Each column's kind, in the order of :func:`headers`."""
    if layout == "dtks":
        return [BNBA_KINDS.get(field, TEXT) for _title, field, _cell in bnba_columns(user)]
    return [kind for _header, _cell, kind in columns(visibility_for(user))]


def rows(queryset: QuerySet[PpksRecord], user: Any, layout: str = "pilar") -> Iterator[list[Any]]:
    """Each record's values as :func:`headers` names them, typed as :func:`kinds` says."""
    if layout == "dtks":
        yield from bnba_rows(queryset, user)
        return
    cells = [cell for _header, cell, _kind in columns(visibility_for(user))]
    # A TKSK or PSM sees more inside its own area than outside it: decided per row, once per area.
    views: dict[tuple[int | None, int | None], Visibility] = {}
    for values in queryset.order_by("id").values_list(*FIELDS).iterator(chunk_size=CHUNK):
        row = Row._make((*values[:16], (values[16], values[17])))
        view = views.get(row.area) or views.setdefault(row.area, visibility_for(user, area=row.area))
        yield [cell(row, view) for cell in cells]


def counted(lines: Iterable[list[Any]], progress: Callable[[int], None]) -> Iterator[list[Any]]:
    """``lines`` unchanged, calling ``progress(rows so far)`` every CHUNK rows and at the end."""
    done = 0
    for done, line in enumerate(lines, start=1):  # noqa: B007  (done is read after the loop)
        if done % CHUNK == 0:
            progress(done)
        yield line
    progress(done)


def write_file(
    kind: str,
    queryset: QuerySet[PpksRecord],
    user: Any,
    *,
    layout: str = "pilar",
    progress: Callable[[int], None] = lambda done: None,
) -> IO[bytes]:
    """The whole export in a nameless temporary file, rewound: CSV line by line, XLSX row by row
    (``pilar.core.cells.xlsx_file``); memory stays flat whatever the number of rows."""
    body = counted(rows(queryset, user, layout), progress)
    if kind == "xlsx":
        return xlsx_file(_("Data PPKS"), headers(user, layout), body, kinds=kinds(user, layout))
    out = tempfile.TemporaryFile(suffix=".csv")  # noqa: SIM115  (the caller stores and closes it)
    buffer: list[str] = []
    table = (line for part in ([headers(user, layout)], body) for line in part)
    for line in csv_lines(table, kinds=kinds(user, layout)):
        buffer.append(line)
        if len(buffer) >= 1000:
            out.write("".join(buffer).encode())
            buffer.clear()
    out.write("".join(buffer).encode())
    out.seek(0)
    return out


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
}


def filename(extension: str, layout: str = "pilar") -> str:
    return f"{'bnba-dtks' if layout == 'dtks' else 'data-ppks'}-{timezone.localdate():%Y%m%d}.{extension}"


def export_csv(queryset: QuerySet[PpksRecord], user: Any, layout: str = "pilar") -> StreamingHttpResponse:
    table = (line for part in ([headers(user, layout)], rows(queryset, user, layout)) for line in part)
    response = StreamingHttpResponse(csv_lines(table, kinds=kinds(user, layout)), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{filename("csv", layout)}"'
    return response


def export_xlsx(queryset: QuerySet[PpksRecord], user: Any, layout: str = "pilar") -> FileResponse:
    return FileResponse(
        xlsx_file(_("Data PPKS"), headers(user, layout), rows(queryset, user, layout), kinds=kinds(user, layout)),
        as_attachment=True,
        filename=filename("xlsx", layout),
        content_type=CONTENT_TYPES["xlsx"],
    )


WRITERS = {"csv": export_csv, "xlsx": export_xlsx}

# --- the DTKS/DTSEN BNBA layout (pilar.registry.bnba), to hand lists back to the province and the ministry ---

BNBA_FIELDS = (
    "id",
    "person_id",
    "household_id",
    "household__head_id",
    "category__code",
    "kecamatan__name",
    "kelurahan__name",
    "rt",
    "rw",
    "address",
    "kecamatan_id",
    "kelurahan_id",
)
SEXES = {"L": "L", "P": "P"}


def _bnba_cells(view: Visibility) -> dict[str, Any]:
    """Field -> cell(person, member, row, view) for the BNBA columns the user may see (None: left out)."""
    born = view.level("birth_date") == Level.FULL
    address = view.shows("address")
    return {
        "external_id": lambda p, m, r, v: p.get("external_id") or "",
        "kk": (lambda p, m, r, v: v.kk(m.get("kk")) or "") if view.shows("kk_number") else None,
        "nik": (lambda p, m, r, v: v.nik(p.get("nik")) or "") if view.shows("nik") else None,
        "name": (lambda p, m, r, v: v.name(p.get("name"))) if view.shows("name") else None,
        "birth_date": (lambda p, m, r, v: v.birth_date(p.get("birth_date"))) if born else None,
        "sex": lambda p, m, r, v: SEXES.get(p.get("sex") or "", ""),
        "relationship": lambda p, m, r, v: m.get("relationship_label", ""),
        "address": (lambda p, m, r, v: v.address(r["address"])) if view.level("address") == Level.FULL else None,
        "rt": (lambda p, m, r, v: v.rt_rw(r["rt"])) if address else None,
        "rw": (lambda p, m, r, v: v.rt_rw(r["rw"])) if address else None,
        "kelurahan": lambda p, m, r, v: r["kelurahan__name"] or "",
        "kecamatan": lambda p, m, r, v: r["kecamatan__name"] or "",
        "category": lambda p, m, r, v: r["category__code"],
    }


def _dmy(value: date) -> str:
    return value.strftime("%d-%m-%Y")


# The ministry's sheets write dates day first, in a CSV too; in an XLSX a real date shown the same way.
BNBA_KINDS = {"birth_date": replace(DATE, text=_dmy)}


def bnba_columns(user: Any) -> list[tuple[str, str, Any]]:
    """(title, field, cell) of the BNBA columns in the layout's order; flags are filled by :func:`bnba_rows`."""
    from pilar.registry import bnba

    cells = _bnba_cells(visibility_for(user))
    out: list[tuple[str, str, Any]] = []
    for column in bnba.COLUMNS:
        if column.field in bnba.PROGRAMS:
            out.append((column.title, column.field, None))
        elif cells.get(column.field) is not None:
            out.append((column.title, column.field, cells[column.field]))
    return out


def bnba_rows(queryset: QuerySet[PpksRecord], user: Any) -> Iterator[list[Any]]:
    """One row per record: its person (or its household's head), with the person's current KK and SHDK and
    the national programs the person or the household takes part in (Ya/Tidak)."""
    from pilar.identity.models import Person
    from pilar.registry import bnba
    from pilar.registry.importer.hooks import flags_of
    from pilar.registry.models import HouseholdMember, Relationship

    columns_ = bnba_columns(user)
    shdk = {key: str(label) for key, label in Relationship.choices}
    views: dict[tuple[int | None, int | None], Visibility] = {}
    records = queryset.order_by("id").values(*BNBA_FIELDS).iterator(chunk_size=CHUNK)
    while chunk := [r for _i, r in zip(range(CHUNK), records, strict=False)]:
        subjects = {r["person_id"] or r["household__head_id"] for r in chunk} - {None}
        persons: dict[int, dict[str, Any]] = {
            p["id"]: dict(p)
            for p in Person.objects.filter(pk__in=subjects).values(
                "id", "nik", "name", "sex", "birth_date", "external_id"
            )
        }
        members: dict[int, dict[str, Any]] = {
            m["person_id"]: dict(m)
            for m in HouseholdMember.objects.filter(person_id__in=subjects, until__isnull=True).values(
                "person_id", "household_id", "relationship", kk=F("household__kk_number")
            )
        }
        for m in members.values():
            m["relationship_label"] = shdk.get(m["relationship"], "")
        flags = flags_of(sorted(subjects), sorted({m["household_id"] for m in members.values()}))
        for r in chunk:
            subject = r["person_id"] or r["household__head_id"]
            person: dict[str, Any] = persons.get(subject, {})
            member: dict[str, Any] = members.get(subject, {})
            area = (r["kecamatan_id"], r["kelurahan_id"])
            view = views.get(area) or views.setdefault(area, visibility_for(user, area=area))
            household = member.get("household_id", 0)  # 0: no household, no flags
            taken = flags.get(("person", subject), set()) | flags.get(("household", household), set())
            line: list[Any] = []
            for _title, field, cell in columns_:
                if field in bnba.PROGRAMS:
                    line.append(_("Ya") if bnba.PROGRAMS[field] in taken else _("Tidak"))
                else:
                    line.append(cell(person, member, r, view))
            yield line
