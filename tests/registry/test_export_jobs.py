"""Big exports run as background jobs; small ones stream. The file holds what its owner may see, for the owner."""
# ruff: noqa: F811  (the imported ``records`` fixture is a parameter of the tests)

import csv
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from pilar.audit.models import PersonalDataAccess
from pilar.identity.models import Person
from pilar.notifications.models import Notification
from pilar.registry import bnba
from pilar.registry.export_jobs import export_for_user
from pilar.registry.export_models import ExportJob
from tests.registry.test_exports import csv_rows, records  # noqa: F401  (records: the fixture of three rows)
from tests.registry.test_import import FAMILY

EXPORT = reverse("registry:ppks_export")


@pytest.fixture
def big(settings):
    """Every export of more than two rows counts as big."""
    settings.PILAR_EXPORT_STREAM_MAX_ROWS = 2


def file_rows(answer) -> list[list[str]]:
    body = b"".join(answer.streaming_content)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_small_export_streams_from_the_page(client, operator, records):
    client.force_login(operator)
    answer = client.get(EXPORT, {"format": "csv"})
    assert answer.status_code == 200 and len(csv_rows(answer)) == 4
    assert not ExportJob.objects.exists()


def test_big_export_runs_as_a_job_and_its_file_has_the_streamed_rows(
    client, operator, records, big, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get(EXPORT, {"format": "csv", "q": ""})
    job = ExportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("registry:export_detail", args=[job.pk])
    assert (job.status, job.total_rows, job.done_rows) == ("selesai", 3, 3)
    assert "100%" in client.get(answer["Location"]).content.decode()
    notice = Notification.objects.get(recipient=operator, kind="registry.export.done")
    assert notice.url == answer["Location"]
    downloaded = file_rows(client.get(reverse("registry:export_file", args=[job.pk])))
    assert downloaded[0][:3] == ["ID", "NIK", "Nama"] and sorted(r[1] for r in downloaded[1:]) == sorted(
        row[0] for row in FAMILY
    )
    assert PersonalDataAccess.objects.filter(user=operator, channel="export", subject_count=3).exists()


def test_an_export_job_and_its_file_are_its_owners_only(
    client, operator, records, big, django_capture_on_commit_callbacks
):
    from tests.factories import user_with_role

    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(EXPORT, {"format": "xlsx"})
    job = ExportJob.objects.get()
    colleague = user_with_role("operator.dua", "operator")
    client.force_login(colleague)
    assert client.get(reverse("registry:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("registry:export_file", args=[job.pk])).status_code == 404


def test_big_xlsx_export_masks_for_the_head_of_office(
    client, pimpinan, records, big, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(pimpinan)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(EXPORT, {"format": "xlsx"})
    job = ExportJob.objects.get()
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"".join(client.get(reverse("registry:export_file", args=[job.pk])).streaming_content))
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert data[0][1] == "NIK" and len(data) == 4 and all("********" in row[1] for row in data[1:])


def test_bnba_layout_has_the_ministry_columns_masked_by_role_and_escapes_formulas(client, pimpinan, operator, records):
    Person.objects.filter(nik=FAMILY[0][0]).update(name='=HYPERLINK("http://x")')
    client.force_login(operator)
    header, *rows = csv_rows(client.get(EXPORT, {"format": "csv", "layout": "dtks"}))
    assert header == bnba.TITLES  # one definition for export and the dtks import profile
    assert header[:4] == ["ID DTKS", "NO KK", "NIK", "NAMA"]
    names = [row[header.index("NAMA")] for row in rows]
    assert '\'=HYPERLINK("http://x")' in names
    assert {row[header.index("NIK")] for row in rows} == {row[0] for row in FAMILY}
    client.force_login(pimpinan)
    header, *rows = csv_rows(client.get(EXPORT, {"format": "csv", "layout": "dtks"}))
    assert all("*" in row[header.index("NIK")] for row in rows)
    assert "TGL LAHIR" not in header or all("-" in row[header.index("TGL LAHIR")] for row in rows)


def test_unknown_layout_or_format_is_refused_with_a_message(client, operator, records):
    client.force_login(operator)
    answer = client.get(EXPORT, {"format": "pdf"})
    assert answer.status_code == 400 and "Format ekspor tidak dikenal" in answer.content.decode()
    assert client.get(EXPORT, {"layout": "siks"}).status_code == 400


def test_export_whose_worker_died_is_failed_when_looked_at(operator, records):
    job = ExportJob.objects.create(user=operator, format="csv", status="berjalan", runner="elsewhere:1:1")
    assert export_for_user(operator, job.pk).status == "gagal"
    assert "berhenti" in ExportJob.objects.get(pk=job.pk).message


def test_api_export_streams_small_and_answers_202_with_a_status_and_file_when_big(
    api_as, operator, records, settings, django_capture_on_commit_callbacks
):
    api = api_as(operator)
    small = api.get("/api/v1/ppks/export", {"format": "csv", "layout": "pilar"})
    assert small.status_code == 200 and len(file_rows(small)) == 4
    settings.PILAR_EXPORT_STREAM_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        started = api.get("/api/v1/ppks/export", {"format": "csv", "layout": "dtks", "category": "PPKS-24"})
    assert started.status_code == 202
    body = started.json()
    status = api.get(body["url"]).json()
    assert status["status"] == "selesai" and status["total_rows"] == 2 and status["file"]
    rows = file_rows(api.get(status["file"]))
    assert rows[0][0] == "ID DTKS" and len(rows) == 3
    assert api.get("/api/v1/ppks/export", {"format": "doc"}).status_code in (400, 422)


def test_api_export_job_of_another_user_is_404(api_as, operator, records, settings, django_capture_on_commit_callbacks):
    from tests.factories import user_with_role

    settings.PILAR_EXPORT_STREAM_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        body = api_as(operator).get("/api/v1/ppks/export").json()
    other = api_as(user_with_role("operator.dua", "operator"))
    assert other.get(body["url"]).status_code == 404
    assert other.get(f"/api/v1/exports/{body['id']}/file").status_code == 404
