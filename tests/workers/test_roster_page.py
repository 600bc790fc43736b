"""The roster upload page: the CLI's reader, form and service for the operator, problems by row and column."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilar.workers.models import Worker
from tests.workers.test_roster import HEADER, row

PAGE = reverse("workers:roster")


def upload(rows: list[list[str]], name: str = "psm.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"), content_type="text/csv")


def test_the_operator_imports_a_roster_and_sees_each_bad_row_with_its_column(client, operator):
    client.force_login(operator)
    assert "Impor daftar PSM/TKSK" in client.get(reverse("workers:list")).content.decode()
    rows = [row(1, "Ahmad Fauzi"), row(2, "Budi Santoso", birth_date="1980-05-09"), row(3, "Cecep")]
    answer = client.post(PAGE, {"file": upload(rows)})
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "2 PSM/TKSK baru terdaftar; 1 baris bermasalah tidak disimpan." in body
    assert "<td>3</td><td>Tanggal lahir</td>" in body and "tidak sesuai dengan NIK" in body
    assert Worker.objects.count() == 2


def test_a_file_that_is_not_csv_or_xlsx_is_refused_on_the_field_and_nothing_saved(client, operator):
    client.force_login(operator)
    answer = client.post(PAGE, {"file": SimpleUploadedFile("psm.pdf", b"%PDF-1.4", content_type="application/pdf")})
    assert answer.status_code == 400
    assert "Hanya berkas .csv atau .xlsx yang dapat diimpor." in answer.content.decode()
    assert not Worker.objects.exists()


def test_a_broken_xlsx_is_reported_in_indonesian(client, operator):
    client.force_login(operator)
    answer = client.post(PAGE, {"file": SimpleUploadedFile("psm.xlsx", b"bukan excel", content_type="text/plain")})
    assert answer.status_code == 200 and "Berkas bukan XLSX yang valid." in answer.content.decode()
    assert not Worker.objects.exists()


def test_only_who_manages_the_workforce_may_open_the_page(client, psm_a, pimpinan):
    for user in (psm_a, pimpinan):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"file": upload([row(1, "Ahmad Fauzi")])}).status_code == 403
    assert not Worker.objects.filter(person__name="Ahmad Fauzi").exists()
