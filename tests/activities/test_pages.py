from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pilar.activities.models import ActivityReport, ReportPhoto
from pilar.audit.models import PersonalDataAccess
from tests.activities.makers import report_for, submitted
from tests.conftest import KEL_A2
from tests.factories import psm_user

pytestmark = pytest.mark.django_db
S = ActivityReport.Status


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


def jpeg(name: str = "kunjungan.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_psm_fills_in_the_month_on_the_form_and_lands_on_the_draft(client, psm_a):
    client.force_login(psm_a)
    form = client.get(reverse("activities:create"))
    assert form.status_code == 200
    assert 'type="month"' in form.text and 'inputmode="numeric"' in form.text
    answer = client.post(
        reverse("activities:create"),
        {"period": "2026-09", "visits": "9", "cases_handled": "1", "info_relayed": "4", "notes": "Posyandu RW 03"},
    )
    report = ActivityReport.objects.get()
    assert answer.status_code == 302 and answer.url == report.get_absolute_url()
    assert (report.period, report.visits, report.info_relayed, report.status) == (date(2026, 9, 1), 9, 4, S.DRAFT)


def test_bad_report_input_is_refused_with_an_indonesian_message_and_nothing_saved(client, psm_a):
    client.force_login(psm_a)
    answer = client.post(reverse("activities:create"), {"period": "September", "visits": "-2"})
    assert answer.status_code == 400
    assert "format TTTT-BB" in answer.text
    assert "lebih besar dari atau sama dengan 0" in answer.text or "0" in answer.text
    assert not ActivityReport.objects.exists()


def test_a_second_report_for_the_month_is_refused_on_the_period_field(client, psm_a):
    report_for(psm_a)
    client.force_login(psm_a)
    answer = client.post(
        reverse("activities:create"), {"period": "2026-09", "visits": "1", "cases_handled": "0", "info_relayed": "0"}
    )
    assert answer.status_code == 400 and "sudah ada" in answer.text
    assert ActivityReport.objects.count() == 1


def test_psm_edits_adds_a_visit_and_a_photo_then_submits(client, psm_a, tksk_a):
    report = report_for(psm_a, visits=0)
    client.force_login(psm_a)
    edit = client.post(
        reverse("activities:edit", args=[report.pk]), {"visits": "5", "cases_handled": "1", "info_relayed": "2"}
    )
    assert edit.status_code == 302
    visit = client.post(reverse("activities:visit_add", args=[report.pk]), {"date": "2026-09-03", "place": "RT 02"})
    assert visit.status_code == 302
    photo = client.post(reverse("activities:photo_add", args=[report.pk]), {"file": jpeg(), "caption": "Posyandu"})
    assert photo.status_code == 302
    stored = ReportPhoto.objects.get()
    assert (stored.content_type, stored.report_id) == ("image/jpeg", report.pk)
    assert client.get(reverse("activities:photo", args=[report.pk, stored.pk]))["Content-Type"] == "image/jpeg"
    assert client.post(reverse("activities:submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.visits, report.visit_entries.count()) == (S.SUBMITTED, 5, 1)


def test_a_file_that_is_not_a_photo_is_refused_and_not_stored(client, psm_a):
    report = report_for(psm_a)
    client.force_login(psm_a)
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg")
    answer = client.post(reverse("activities:photo_add", args=[report.pk]), {"file": fake})
    assert answer.status_code == 400
    assert "Jenis berkas tidak diterima" in answer.text
    assert not ReportPhoto.objects.exists()


def test_tksk_sees_the_check_forms_and_returns_with_a_reason(client, psm_a, tksk_a):
    report = submitted(psm_a)
    client.force_login(tksk_a)
    page = client.get(report.get_absolute_url())
    assert 'action="{}"'.format(reverse("activities:accept", args=[report.pk])) in page.text
    empty = client.post(reverse("activities:return", args=[report.pk]), {"reason": ""})
    assert empty.status_code == 400 and "Tuliskan alasan" in empty.text
    client.post(reverse("activities:return", args=[report.pk]), {"reason": "Jumlah kunjungan tidak sesuai."})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (S.RETURNED, "Jumlah kunjungan tidak sesuai.")


def test_tksk_accepts_from_the_page(client, psm_a, tksk_a):
    report = submitted(psm_a)
    client.force_login(tksk_a)
    assert client.post(reverse("activities:accept", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == S.ACCEPTED
    # Accepting again is refused with a message, not an error page.
    again = client.post(reverse("activities:accept", args=[report.pk]), follow=True)
    assert "Hanya laporan berstatus diajukan" in again.text


def test_viewing_a_report_is_logged_as_personal_data_access(client, psm_a, tksk_a):
    report = report_for(psm_a)
    client.force_login(tksk_a)
    client.get(report.get_absolute_url())
    assert PersonalDataAccess.objects.filter(user=tksk_a, object_id=str(report.pk)).exists()


def test_report_list_filters_by_month_and_status(client, operator, psm_a, psm_b):
    submitted(psm_a)
    report_for(psm_b)
    report_for(psm_a, date(2026, 8, 1))
    client.force_login(operator)
    page = client.get(reverse("activities:list"), {"period": "2026-09", "status": "diajukan"})
    assert page.status_code == 200
    assert [r.worker.user for r in page.context["page"]] == [psm_a]
    assert client.get(reverse("activities:list"), {"period": "2026-09"}).context["page"].paginator.count == 2


def test_report_list_costs_the_same_queries_for_one_row_or_many(client, operator, psm_a):
    client.force_login(operator)
    report_for(psm_a)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("activities:list"))
    for n in range(4):
        report_for(psm_user(f"psm.extra{n}", KEL_A2))
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("activities:list")).context["page"].paginator.count == 5
    assert len(five) == len(one)


def test_psm_removes_a_photo_from_a_draft_and_its_file_goes_too(client, psm_a, django_capture_on_commit_callbacks):
    report = report_for(psm_a)
    client.force_login(psm_a)
    client.post(reverse("activities:photo_add", args=[report.pk]), {"file": jpeg()})
    photo = ReportPhoto.objects.get()
    storage, name = photo.file.storage, photo.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("activities:photo_remove", args=[report.pk, photo.pk]))
    assert answer.status_code == 302
    assert not ReportPhoto.objects.exists() and not storage.exists(name)


def test_photos_of_a_report_are_not_shown_outside_its_readers(client, psm_a, psm_b):
    report = report_for(psm_a)
    client.force_login(psm_a)
    client.post(reverse("activities:photo_add", args=[report.pk]), {"file": jpeg()})
    photo = ReportPhoto.objects.get()
    client.force_login(psm_b)
    assert client.get(reverse("activities:photo", args=[report.pk, photo.pk])).status_code == 404
    assert client.post(reverse("activities:photo_remove", args=[report.pk, photo.pk])).status_code == 404
    assert ReportPhoto.objects.exists()
