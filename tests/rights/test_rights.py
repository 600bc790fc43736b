"""UU PDP data-subject rights: a person's export, the requests register, restriction, erasure, retention, RoPA."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.cases import services as cases
from pilar.identity.models import Person
from pilar.registry import services as registry
from pilar.registry.models import Evidence, PpksRecord
from pilar.rights import services
from pilar.rights.models import DataRequest, RetentionRule, RetentionRun
from pilar.rights.retention import retention_run_all
from tests.api.conftest import api_as  # noqa: F401
from tests.conftest import KEL_A
from tests.factories import region
from tests.registry.makers import household_in, propose


@pytest.fixture
def subject(psm_a, tksk_a, operator):
    """A person with a household, a PPKS record with history, and a case with one open and one confidential note."""
    household = household_in(actor=operator, size=2)
    person = household.members.first().person
    record = propose(psm_a, person=person)
    registry.ppks_verify(record=record, actor=tksk_a, result="ditemukan")
    case = cases.case_open(
        actor=psm_a,
        kelurahan=region(KEL_A),
        category=None,
        source="temuan_psm",
        summary="Butuh kursi roda",
        person=person,
    )
    cases.case_note_add(actor=psm_a, case=case, text="Dikunjungi bersama RT.")
    cases.case_note_add(actor=tksk_a, case=case, text="RAHASIA: tetangga melapor kekerasan", confidential=True)
    return person


def test_dinsos_exports_everything_held_on_a_person_as_json(api_as, operator, subject):  # noqa: F811
    response = api_as(operator).get(f"/api/v1/persons/{subject.pk}/export")
    assert response.status_code == 200
    data = response.json()
    assert data["person"]["nik"] == subject.nik and data["person"]["name"] == subject.name
    assert data["households"][0]["kk_number"]
    record = data["ppks_records"][0]
    assert [step["to_status"] for step in record["history"]][-1] == "diverifikasi"
    notes = [n["text"] for n in data["cases"][0]["notes"]]
    assert notes == ["Dikunjungi bersama RT."]  # the confidential note is not in the export
    assert "RAHASIA" not in response.content.decode()
    assert AuditEntry.objects.filter(action="rights.person.exported", object_id=str(subject.pk)).exists()
    assert PersonalDataAccess.objects.filter(channel="api", object_id=str(subject.pk)).exists()


def test_only_dinsos_may_export_a_person(api_as, psm_a, tksk_a, pimpinan, subject):  # noqa: F811
    for user in (psm_a, tksk_a, pimpinan):
        assert api_as(user).get(f"/api/v1/persons/{subject.pk}/export").status_code == 403
    assert api_as(None).get(f"/api/v1/persons/{subject.pk}/export").status_code == 401


def test_export_of_an_unknown_person_is_404(api_as, operator):  # noqa: F811
    assert api_as(operator).get("/api/v1/persons/999999/export").status_code == 404


def test_export_pdf_page_needs_login_and_dinsos(client, operator, psm_a, subject):
    url = f"/hak-subjek/orang/{subject.pk}/ekspor.pdf"
    assert client.get(url).status_code == 302
    client.force_login(psm_a)
    assert client.get(url).status_code == 403
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_request_gets_a_3x24_hour_due_date_and_shows_on_the_start_page_when_overdue(client, operator):
    client.force_login(operator)
    received = timezone.now() - timedelta(hours=80)
    response = client.post(
        "/hak-subjek/baru/",
        {
            "kind": "akses",
            "requester_name": "Siti Aminah",
            "details": "Minta salinan data saya",
            "received_at": timezone.localtime(received).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    request = DataRequest.objects.get()
    assert response.status_code == 302
    assert abs((request.due_at - request.received_at) - timedelta(hours=72)) < timedelta(seconds=1)
    assert request.overdue
    home = client.get("/").content.decode()
    assert "lewat 3×24 jam" in home
    client.post(f"/hak-subjek/{request.pk}/identitas/", {"document": "KTP asli"})
    client.post(f"/hak-subjek/{request.pk}/jawab/", {"answer": "Salinan diserahkan.", "state": "dijawab"})
    request.refresh_from_db()
    assert request.state == "dijawab" and request.identity_checked_by == operator and not request.overdue


def test_a_request_form_with_an_unknown_nik_says_so_and_saves_nothing(client, operator):
    client.force_login(operator)
    response = client.post(
        "/hak-subjek/baru/", {"kind": "akses", "requester_name": "X", "details": "Y", "nik": "3671010101010001"}
    )
    assert response.status_code == 200 and "Tidak ada orang dengan NIK ini" in response.content.decode()
    assert not DataRequest.objects.exists()


def test_the_register_is_for_dinsos_only(client, psm_a, tksk_a, db):
    assert client.get("/hak-subjek/").status_code == 302
    for user in (psm_a, tksk_a):
        client.force_login(user)
        assert client.get("/hak-subjek/").status_code == 403


def test_a_restricted_person_disappears_for_everyone_but_the_admin(
    client,
    api_as,  # noqa: F811
    operator,
    admin_user,
    psm_a,
    subject,
):
    record = PpksRecord.objects.get(person=subject)
    services.person_restrict(person=subject, actor=admin_user, reason="Keberatan sedang diperiksa")
    for user in (operator, psm_a):
        assert not PpksRecord.objects.visible_to(user).filter(pk=record.pk).exists()
        assert api_as(user).get(f"/api/v1/ppks/{record.pk}").status_code == 404
        listed = api_as(user).get("/api/v1/persons/", {"limit": 500}).json()["results"]
        assert subject.pk not in {p["id"] for p in listed}
    assert api_as(operator).get(f"/api/v1/persons/{subject.pk}/export").status_code == 404
    assert PpksRecord.objects.visible_to(admin_user).filter(pk=record.pk).exists()
    client.force_login(admin_user)
    page = client.get(f"/registri/orang/{subject.pk}/")
    assert page.status_code == 200 and "Pemrosesan data orang ini dibatasi" in page.content.decode()
    services.person_unrestrict(person=subject, actor=admin_user, reason="Keberatan ditolak")
    assert PpksRecord.objects.visible_to(operator).filter(pk=record.pk).exists()


def test_erasure_is_a_restriction_when_dinsos_must_keep_the_data(admin_user, operator, subject):
    record = PpksRecord.objects.get(person=subject)
    registry.ppks_validate(record=record, actor=operator)
    assert services.person_erase(person=subject, actor=admin_user, reason="permintaan") == "dibatasi"
    subject.refresh_from_db()
    assert subject.restricted_at and "ditetapkan" in subject.restriction_reason and subject.nik


def test_erasure_anonymises_where_nothing_must_be_kept(admin_user, operator, psm_a, django_capture_on_commit_callbacks):
    person = Person.objects.get(pk=propose(psm_a).person_id)
    record = PpksRecord.objects.get(person=person)
    photo = Evidence.objects.create(
        record=record, file=ContentFile(b"foto", name="wajah.jpg"), content_type="image/jpeg", size=4
    )
    stored = photo.file.name
    registry.ppks_reject(record=record, actor=operator, reason="bukan PPKS")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.person_erase(person=person, actor=admin_user, reason="permintaan") == "dianonimkan"
    assert not Evidence.objects.filter(record=record).exists() and not default_storage.exists(stored)
    person.refresh_from_db()
    assert person.nik is None and person.name == f"Dianonimkan #{person.pk}" and person.birth_date is None
    assert AuditEntry.objects.filter(action="rights.person.anonymised", object_id=str(person.pk)).exists()


def test_retention_anonymises_long_exited_records_and_audits_each_run(operator, tksk_a, psm_a):
    person = Person.objects.get(pk=propose(psm_a).person_id)
    record = PpksRecord.objects.get(person=person)
    registry.ppks_verify(record=record, actor=tksk_a, result="ditemukan")
    registry.ppks_validate(record=record, actor=operator)
    registry.ppks_exit(record=record, actor=operator, on=date.today() - timedelta(days=10), reason="graduasi")
    RetentionRule.objects.filter(kind="ppks_keluar").update(active=True, days=30)
    retention_run_all()
    person.refresh_from_db()
    assert person.anonymised_at is None  # exited 10 days ago, kept 30
    RetentionRule.objects.filter(kind="ppks_keluar").update(days=5)
    retention_run_all()
    person.refresh_from_db()
    assert person.anonymised_at is not None
    run = RetentionRun.objects.filter(rule__kind="ppks_keluar").first()
    assert run.affected == 1
    assert AuditEntry.objects.filter(action="rights.retention.ran", object_id=str(run.pk)).exists()


def test_the_record_of_processing_activities_comes_from_the_field_table(client, operator):
    client.force_login(operator)
    page = client.get("/hak-subjek/ropa/").content.decode()
    assert "Rekening bank" in page and "Pembayaran insentif PSM lewat bank." in page
    assert "PSM: disamarkan" in page  # a PSM sees a PPKS person's NIK masked, as the table says


def test_operations_page_is_for_the_admin(client, admin_user, operator):
    client.force_login(operator)
    assert client.get("/operasi/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/operasi/").content.decode()
    assert "Pekerjaan terjadwal" in page and "retention" in page


def test_a_restricted_psm_disappears_from_workforce_trainings_and_reports(
    api_as,  # noqa: F811
    operator,
    admin_user,
    psm_a,
    tksk_a,
):
    from pilar.activities.models import ActivityReport
    from pilar.trainings.models import Participant
    from pilar.workers.models import Worker
    from tests.activities.makers import report_for

    worker = psm_a.worker
    report = report_for(psm_a)
    services.person_restrict(person=worker.person, actor=admin_user, reason="Keberatan sedang diperiksa")
    for user in (operator, tksk_a):
        assert not Worker.objects.visible_to(user).filter(pk=worker.pk).exists()
        assert not ActivityReport.objects.visible_to(user).filter(pk=report.pk).exists()
        assert not Participant.objects.visible_to(user).filter(worker=worker).exists()
        assert api_as(user).get(f"/api/v1/workers/{worker.pk}").status_code == 404
        assert worker.pk not in {w["id"] for w in api_as(user).get("/api/v1/workers/?limit=500").json()["results"]}
    assert Worker.objects.visible_to(admin_user).filter(pk=worker.pk).exists()
    assert ActivityReport.objects.visible_to(admin_user).filter(pk=report.pk).exists()
    services.person_unrestrict(person=worker.person, actor=admin_user, reason="Keberatan ditolak")
    assert Worker.objects.visible_to(operator).filter(pk=worker.pk).exists()
