"""The import page and API: upload, progress, error file, template; and the registry export."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilar.audit.models import PersonalDataAccess
from pilar.registry.importer.columns import TEMPLATE_HEADERS, example_row
from pilar.registry.models import ImportJob, PpksRecord
from tests.conftest import KEL_A
from tests.factories import region


def csv_upload(rows: list[list[str]], name: str = "usulan.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """POST an upload; the import is queued when the upload commits, and runs at once here (ImmediateBackend)."""

    def post(url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **kwargs)

    return post


GOOD = example_row("36.71.01.1001", "Tangerang")
BAD_NIK = list(GOOD)
BAD_NIK[0] = "1234"


def test_operator_imports_a_file_and_follows_it_to_the_end(client, upload, operator):
    client.force_login(operator)
    answer = upload("/registri/impor/", {"file": csv_upload([GOOD]), "mode": "all-or-nothing"})
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/registri/impor/{job.pk}/")
    assert job.status == ImportJob.Status.DONE and job.created_count == 1 and len(job.checksum) == 64
    page = client.get(f"/registri/impor/{job.pk}/")
    assert "1 dari 1 baris" in page.content.decode()
    assert PpksRecord.objects.filter(category__code="PPKS-24", import_job=job).exists()
    listing = client.get("/registri/impor/").content.decode()
    assert "usulan.csv" in listing


def test_a_file_with_errors_is_refused_whole_and_its_error_file_downloads(client, upload, operator):
    client.force_login(operator)
    upload("/registri/impor/", {"file": csv_upload([GOOD, BAD_NIK]), "mode": "all-or-nothing"})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED and job.created_count == 0
    assert not PpksRecord.objects.exists()
    errors = client.get(f"/registri/impor/{job.pk}/kesalahan/")
    body = b"".join(errors.streaming_content).decode("utf-8-sig")
    assert errors.status_code == 200 and "16 digit" in body and "3" in body  # row 3 of the file


def test_only_csv_and_xlsx_are_accepted(client, operator):
    client.force_login(operator)
    answer = client.post(
        "/registri/impor/", {"file": SimpleUploadedFile("data.pdf", b"%PDF-1.4"), "mode": "valid-rows"}
    )
    assert answer.status_code == 400 and "Hanya berkas .csv atau .xlsx" in answer.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("persona", ["psm_a", "tksk_a", "pimpinan", "opd_user"])
def test_only_dinsos_may_import(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/registri/impor/").status_code == 403


def test_the_template_downloads_in_both_formats(client, psm_a):
    client.force_login(psm_a)
    as_csv = client.get("/registri/impor/templat/")
    assert as_csv.content.decode("utf-8-sig").splitlines()[0].startswith(TEMPLATE_HEADERS[0])
    as_xlsx = client.get("/registri/impor/templat/?format=xlsx")
    assert as_xlsx.content[:2] == b"PK"


def test_the_api_takes_a_multipart_upload_and_reports_progress(client, upload, operator):
    from pilar.accounts.models import ApiToken

    headers = {"Authorization": f"Bearer {ApiToken.issue(operator)}"}
    answer = upload("/api/v1/imports/", {"file": csv_upload([GOOD]), "mode": "valid-rows"}, headers=headers)
    assert answer.status_code == 202, answer.content
    job = client.get(f"/api/v1/imports/{answer.json()['id']}", headers=headers).json()
    assert (job["status"], job["done_rows"], job["total_rows"], job["created_count"]) == ("selesai", 1, 1, 1)
    assert client.get("/api/v1/imports/", headers=headers).json()["count"] == 1


def test_the_api_refuses_a_bad_mode_in_indonesian(client, upload, operator):
    from pilar.accounts.models import ApiToken

    headers = {"Authorization": f"Bearer {ApiToken.issue(operator)}"}
    answer = upload("/api/v1/imports/", {"file": csv_upload([GOOD]), "mode": "sebagian"}, headers=headers)
    assert answer.status_code == 400 and "mode" in answer.json()["errors"]
    assert not ImportJob.objects.exists()


def test_export_streams_the_filtered_list_masked_for_pimpinan(client, upload, operator, pimpinan):
    client.force_login(operator)
    upload("/registri/impor/", {"file": csv_upload([GOOD]), "mode": "all-or-nothing"})
    client.force_login(pimpinan)
    answer = client.get("/registri/ekspor/?format=csv&category=PPKS-24")
    body = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert answer.status_code == 200 and "3671********0001" in body and GOOD[0] not in body
    assert PersonalDataAccess.objects.filter(channel="export").exists()
    assert client.get("/registri/ekspor/?format=pdf").status_code == 400


def test_psm_may_not_export(client, psm_a):
    client.force_login(psm_a)
    assert client.get("/registri/ekspor/").status_code == 403


def test_an_import_is_followed_by_a_duplicate_scan_of_its_persons(upload, operator, client):
    from pilar.identity.models import Person
    from pilar.registry.models import DuplicateCandidate

    # Someone already registered under a variant of the name and no NIK: the import's scan should pair them.
    Person.objects.create(name="Hj. Siti  Aminah", sex="P", birth_date=date(1980, 1, 5), village=region(KEL_A))
    client.force_login(operator)
    upload("/registri/impor/", {"file": csv_upload([GOOD]), "mode": "all-or-nothing"})
    assert DuplicateCandidate.objects.filter(status="terbuka").count() == 1
