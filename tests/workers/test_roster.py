"""Importing a PSM/TKSK roster: valid rows registered, bad rows in the error file, a re-run saves nothing twice."""

import csv
import io
from datetime import date

import xlsxwriter
from django.core.management import call_command

from pilar.identity.nik import make_nik
from pilar.workers.models import Worker
from pilar.workers.roster import roster_import
from tests.conftest import KEC_A, KEL_A

HEADER = [
    "NIK",
    "Nama lengkap",
    "Jenis kelamin",
    "Tanggal lahir",
    "Peran",
    "Kecamatan tugas",
    "Kelurahan tugas (PSM)",
    "Mulai bertugas",
]


def row(serial: int, name: str, **over) -> list[str]:
    born = date(1980, 5, serial)
    values = {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=born, sex="L", serial=serial),
        "name": name,
        "sex": "L",
        "birth_date": born.isoformat(),
        "role": "psm",
        "kecamatan": KEC_A,
        "kelurahan": KEL_A,
        "start_date": "2024-01-02",
    } | over
    return list(values.values())


def write_csv(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *rows])


def test_valid_rows_are_registered_and_bad_rows_listed_with_row_and_column(operator, tmp_path):
    path = tmp_path / "psm.csv"
    write_csv(path, [row(1, "Ahmad Fauzi"), row(2, "Budi Santoso", birth_date="1980-05-09"), row(3, "Cecep")])
    result = roster_import(path=path, actor=operator)
    assert result.created == 2
    assert Worker.objects.filter(person__name__in=["Ahmad Fauzi", "Cecep"]).count() == 2
    lines = list(csv.reader(io.StringIO(result.errors.content().lstrip("\ufeff"))))
    # The shared error report of every import: sheet row, sheet column, Pilar's field, name, value, message.
    assert lines[0] == ["Baris", "Kolom", "Kolom Pilar", "Nama", "Nilai", "Pesan"]
    assert lines[1][:3] == ["3", "Tanggal lahir", "Tanggal lahir"]
    assert lines[1][3] == "Budi Santoso" and "tidak sesuai dengan NIK" in lines[1][5]


def test_a_rerun_saves_nothing_twice(operator, tmp_path):
    path = tmp_path / "psm.csv"
    write_csv(path, [row(1, "Ahmad Fauzi")])
    assert roster_import(path=path, actor=operator).created == 1
    again = roster_import(path=path, actor=operator)
    assert again.created == 0 and "sudah terdaftar" in again.errors.content()
    assert Worker.objects.count() == 1


def test_an_xlsx_roster_and_the_command(operator, tmp_path, capsys):
    path = tmp_path / "psm.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, cells in enumerate([HEADER, row(4, "Dedi Mulyadi"), row(5, "Euis", role="xx")]):
        sheet.write_row(r, 0, cells)
    book.close()
    call_command("import_roster", str(path), user="operator", errors=str(tmp_path / "err.csv"))
    assert "1 PSM/TKSK baru; 1 baris bermasalah." in capsys.readouterr().out
    assert "Peran" in (tmp_path / "err.csv").read_text(encoding="utf-8-sig")


def test_a_file_that_is_not_a_roster_is_refused_with_a_message(operator, tmp_path):
    path = tmp_path / "psm.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = roster_import(path=path, actor=operator)
    assert result.created == 0 and "Jenis berkas tidak didukung" in result.errors.content()
