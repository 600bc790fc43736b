"""Photos and documents behind a PPKS record: checked on upload, stored with the record, served only in its scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.registry import evidence as evidence_rules
from pilar.registry.models import Evidence
from tests.registry.makers import propose


def jpeg(name: str = "rumah.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def upload_url(record) -> str:
    return reverse("registry:evidence_upload", args=[record.pk])


@pytest.fixture
def record(psm_a):
    return propose(psm_a)


def test_the_psm_uploads_a_photo_that_then_shows_on_the_record_page(client, psm_a, record):
    client.force_login(psm_a)
    answer = client.post(upload_url(record), {"file": jpeg(), "note": "Tampak depan rumah"})
    assert answer.status_code == 302 and answer.url == record.get_absolute_url()
    stored = Evidence.objects.get(record=record)
    assert (stored.content_type, stored.note, stored.uploaded_by) == ("image/jpeg", "Tampak depan rumah", psm_a)
    assert AuditEntry.objects.filter(action="registry.evidence.added", object_id=str(record.pk)).count() == 1
    page = client.get(record.get_absolute_url()).content.decode()
    assert reverse("registry:evidence_download", args=[record.pk, stored.pk]) in page and "Tampak depan rumah" in page


def test_a_renamed_program_is_refused_with_a_clear_message_and_nothing_saved(client, psm_a, record):
    client.force_login(psm_a)
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00\x03 program", content_type="image/jpeg")
    answer = client.post(upload_url(record), {"file": fake})
    assert answer.status_code == 400
    assert "Jenis berkas tidak diterima. Yang diterima: JPG, PDF, PNG, WEBP." in answer.content.decode()
    assert not Evidence.objects.exists()


def test_the_number_of_files_per_record_is_limited(psm_a, record, monkeypatch):
    monkeypatch.setattr(evidence_rules, "MAX_PER_RECORD", 1)
    evidence_rules.evidence_add(record=record, actor=psm_a, upload=jpeg())
    with pytest.raises(Exception, match="paling banyak memiliki 1 berkas"):
        evidence_rules.evidence_add(record=record, actor=psm_a, upload=jpeg())
    assert Evidence.objects.count() == 1


def test_upload_and_download_need_a_login(client, record):
    assert client.post(upload_url(record), {"file": jpeg()}).status_code == 302
    assert not Evidence.objects.exists()


def test_another_kelurahan_gets_404_for_upload_and_download(client, psm_a, psm_b, record):
    stored = evidence_rules.evidence_add(record=record, actor=psm_a, upload=jpeg())
    client.force_login(psm_b)
    assert client.post(upload_url(record), {"file": jpeg()}).status_code == 404
    assert client.get(reverse("registry:evidence_download", args=[record.pk, stored.pk])).status_code == 404


def test_the_head_of_office_neither_opens_nor_uploads_evidence(client, pimpinan, psm_a, record):
    # Evidence is a record's details: hidden from the head of office by the visibility table (docs/privacy.md).
    stored = evidence_rules.evidence_add(record=record, actor=psm_a, upload=jpeg())
    client.force_login(pimpinan)
    assert client.post(upload_url(record), {"file": jpeg()}).status_code == 403
    assert client.get(reverse("registry:evidence_download", args=[record.pk, stored.pk])).status_code == 403


def test_an_operator_opens_evidence_privately_and_logged(client, operator, psm_a, record):
    stored = evidence_rules.evidence_add(record=record, actor=psm_a, upload=jpeg())
    client.force_login(operator)
    answer = client.get(reverse("registry:evidence_download", args=[record.pk, stored.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["Cache-Control"] == "private, no-store"
    assert PersonalDataAccess.objects.filter(user=operator, object_id=str(record.pk)).exists()


def test_evidence_of_another_record_is_not_reachable_through_this_one(client, psm_a, record):
    other = propose(psm_a)
    stored = evidence_rules.evidence_add(record=other, actor=psm_a, upload=jpeg())
    client.force_login(psm_a)
    assert client.get(reverse("registry:evidence_download", args=[record.pk, stored.pk])).status_code == 404
