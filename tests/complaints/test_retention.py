"""Reporters' contacts and photos are erased once a complaint has long been triaged (UU PDP retention)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.complaints.models import Complaint
from tests.complaints.conftest import make_complaint

pytestmark = pytest.mark.django_db


def test_old_triaged_complaints_lose_the_reporters_contact_and_photo(city):
    long_ago = timezone.now() - timedelta(days=400)
    old = make_complaint(status=Complaint.Status.CLOSED, close_reason="bukan_ppks", triaged_at=long_ago)
    old.photo.save(f"{old.tracking_code}.png", ContentFile(b"\x89PNG\r\n\x1a\nrest"), save=False)
    old.photo_content_type, old.photo_size = "image/png", 12
    old.save()
    photo_name = old.photo.name
    recent = make_complaint(status=Complaint.Status.CLOSED, close_reason="bukan_ppks", triaged_at=timezone.now())
    waiting = make_complaint()
    out = StringIO()
    call_command("erase_complaint_contacts", "--days", "365", stdout=out)
    assert "dari 1 pengaduan" in out.getvalue()
    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_phone, old.photo.name, old.photo_size) == ("", "", "", None)
    assert not old.photo.storage.exists(photo_name)
    assert old.subject_name and old.description  # what the work needs stays
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.reporter_phone == "+6281234567890"
    assert AuditEntry.objects.filter(action="complaints.complaint.contact_erased").count() == 1
    call_command("erase_complaint_contacts", stdout=StringIO())
    assert AuditEntry.objects.filter(action="complaints.complaint.contact_erased").count() == 1
