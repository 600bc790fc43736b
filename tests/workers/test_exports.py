"""CSV and XLSX exports: the filtered rows, Indonesian headers, masked for who may not see more."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from pilar.audit.models import PersonalDataAccess
from tests.conftest import KEL_A, KEL_B
from tests.factories import WorkerFactory, region

EXPORT = reverse("workers:export")


@pytest.fixture
def pair(city):
    return WorkerFactory(region=region(KEL_A), person__name="Siti Aminah"), WorkerFactory(
        region=region(KEL_B), person__name="Dewi Lestari"
    )


def csv_rows(answer) -> list[list[str]]:
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(answer) -> list[list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    return [[cell or "" for cell in row] for row in book.active.iter_rows(values_only=True)]


def test_csv_export_has_the_filtered_rows_with_indonesian_headers(client, operator, pair):
    inside, _ = pair
    client.force_login(operator)
    answer = client.get(EXPORT, {"format": "csv", "kelurahan": KEL_A})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    header, *rows = csv_rows(answer)
    assert header[:4] == ["Nama", "NIK", "Peran", "Status"] and "Nomor rekening" in header
    assert [row[0] for row in rows] == ["Siti Aminah"]
    assert rows[0][1] == inside.person.nik  # operators may see the whole NIK
    assert rows[0][header.index("Nomor rekening")] == inside.account_number


def test_xlsx_export_for_the_head_of_office_is_masked(client, pimpinan, pair):
    inside, outside = pair
    client.force_login(pimpinan)
    answer = client.get(EXPORT, {"format": "xlsx"})
    assert answer.status_code == 200
    header, *rows = xlsx_rows(answer)
    assert header[0] == "Nama" and header[1] == "NIK"
    by_name = {row[0]: row for row in rows}
    assert set(by_name) == {"Siti Aminah", "Dewi Lestari"}
    row = by_name["Siti Aminah"]
    assert row[1] == inside.person.masked_nik and row[1] != inside.person.nik
    account = row[header.index("Nomor rekening")]
    assert account and account != inside.account_number and inside.account_number[-4:] in account


def test_export_writes_one_access_log_row_with_the_row_count(client, pimpinan, pair):
    client.force_login(pimpinan)
    b"".join(client.get(EXPORT, {"format": "csv"}).streaming_content)
    log = PersonalDataAccess.objects.get()
    assert (log.channel, log.subject_count, log.unmasked) == ("export", 2, False)


def test_export_needs_the_export_permission(client, tksk_a, pair):
    client.force_login(tksk_a)
    assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_unknown_export_format_is_a_bad_request(client, operator, pair):
    client.force_login(operator)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400
