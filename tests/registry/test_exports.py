"""Streamed PPKS exports: the rows of the queryset, NIK whole only for who may see it."""

import csv
import io

import pytest
from python_calamine import CalamineWorkbook

from pilar.registry.exports import export_csv, export_xlsx
from pilar.registry.importer import import_file
from pilar.registry.models import PpksRecord
from tests.registry.test_import import FAMILY


@pytest.fixture
def records(city, operator, tmp_path):
    path = tmp_path / "data.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "NIK",
                "No KK",
                "Nama Lengkap",
                "Jenis Kelamin",
                "Tanggal Lahir",
                "Kode Kelurahan",
                "RT",
                "RW",
                "Alamat",
                "Hubungan Keluarga",
                "Kategori PPKS",
            ]
        )
        writer.writerows(FAMILY)
    assert import_file(path, user=operator).created_count == 3
    return PpksRecord.objects.all()


def csv_rows(response) -> list[list[str]]:
    text = b"".join(part if isinstance(part, bytes) else part.encode() for part in response.streaming_content)
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_operator_csv_has_whole_niks(records, operator):
    response = export_csv(records, operator)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["ID", "NIK", "Nama"] and len(rows) == 3
    assert rows[0][1] == FAMILY[0][0] and rows[0][8] == "Diusulkan"


def test_head_of_office_gets_masked_nik_and_kk(records, pimpinan):
    header, *rows = csv_rows(export_csv(records, pimpinan))
    nik, kk = header.index("NIK"), header.index("No KK")
    assert rows[0][nik] == FAMILY[0][0][:4] + "********" + FAMILY[0][0][-4:]
    assert all("*" in row[nik] for row in rows) and all(not row[kk] or "*" in row[kk] for row in rows)


def test_xlsx_export_is_readable_and_masked(records, pimpinan, tmp_path):
    response = export_xlsx(records, pimpinan)
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert data[0][1] == "NIK" and len(data) == 4 and "********" in data[1][1]
