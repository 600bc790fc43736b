"""Erasure reaches case notes and household addresses; a complaint's reporter, linked to a registered person by
Dinsos from the NIK they give, makes the complaint part of that person's data export."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.cases import services as cases
from pilar.cases.timeline_models import CaseDocument, CaseNote, HomeVisit
from pilar.complaints.models import Complaint
from pilar.complaints.services import complaints_erase_contacts
from pilar.identity.models import Person
from pilar.registry.models import Household
from pilar.rights import services
from pilar.rights.export import person_export
from tests.api.conftest import api_as  # noqa: F401
from tests.complaints.conftest import make_complaint
from tests.conftest import KEL_A
from tests.factories import region
from tests.registry.makers import household_in, person_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _closed_case_of(person: Person, psm, tksk) -> object:
    case = cases.case_open(
        actor=psm,
        kelurahan=region(KEL_A),
        category=None,
        source="temuan_psm",
        summary="Ibu Ani tinggal sendiri di Gg. Melati 4",
        person=person,
    )
    cases.case_note_add(actor=psm, case=case, text="Anaknya di Bekasi, nomor 0812-1111-2222")
    cases.case_note_add(actor=tksk, case=case, text="RAHASIA: tetangga melapor", confidential=True)
    cases.case_visit_add(actor=psm, case=case, visit_date=date.today(), visitors="PSM", findings="Rumah Ibu Ani bocor")
    cases.case_document_add(actor=psm, case=case, upload=SimpleUploadedFile("surat.pdf", PDF, "application/pdf"))
    return cases.case_close(actor=tksk, case=case, outcome="tertangani", reason="Sudah dibantu keluarga")


def test_erasure_blanks_the_persons_case_notes_visits_and_documents(
    admin_user, psm_a, tksk_a, operator, django_capture_on_commit_callbacks
):
    person = person_in()
    case = _closed_case_of(person, psm_a, tksk_a)
    stored = CaseDocument.objects.get(case=case).file
    with django_capture_on_commit_callbacks(execute=True):
        assert services.person_erase(person=person, actor=admin_user, reason="permintaan") == "dianonimkan"
    texts = list(CaseNote.objects.filter(case=case).values_list("text", flat=True))
    assert texts == [services.ANONYMISED, services.ANONYMISED]
    assert list(HomeVisit.objects.filter(case=case).values_list("findings", flat=True)) == [services.ANONYMISED]
    assert not CaseDocument.objects.filter(case=case).exists() and not stored.storage.exists(stored.name)
    case.refresh_from_db()
    assert case.summary == services.ANONYMISED and case.close_reason == "" and case.stage == "ditutup"
    assert "Ani" not in str(person_export(Person.objects.get(pk=person.pk)))


def test_erasure_blanks_a_households_address_only_where_the_person_is_its_only_member(admin_user, operator):
    alone = household_in(actor=operator, size=1)
    shared = household_in(actor=operator, size=2)
    for household in (alone, shared):
        person = household.members.order_by("id").first().person
        assert services.person_erase(person=person, actor=admin_user, reason="permintaan") == "dianonimkan"
    assert Household.objects.values_list("address", "rt", "rw").get(pk=alone.pk) == ("", "", "")
    assert Household.objects.get(pk=shared.pk).address == "Jl. Mawar 1"  # the other member's address too


@pytest.fixture
def reporter(operator):
    return household_in(actor=operator, size=1).members.get().person


def test_dinsos_links_a_complaint_to_its_reporter_by_nik_and_it_is_in_the_persons_export(
    client,
    api_as,  # noqa: F811
    operator,
    reporter,
):
    complaint = make_complaint(description="Tetangga saya lansia sakit sendirian.")
    client.force_login(operator)
    page = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert "Pelapor di registri" in page and "Belum dihubungkan." in page
    answer = client.post(f"/pengaduan/{complaint.pk}/pelapor/", {"nik": f" {reporter.nik} "})
    assert answer.status_code == 302
    complaint.refresh_from_db()
    assert complaint.reporter_person == reporter
    assert AuditEntry.objects.filter(action="complaints.complaint.reporter_linked", object_id=str(complaint.pk))
    assert reporter.name in client.get(f"/pengaduan/{complaint.pk}/").content.decode()

    data = api_as(operator).get(f"/api/v1/persons/{reporter.pk}/export").json()
    made = data["complaints_made"]
    assert [c["tracking_code"] for c in made] == [complaint.tracking_code]
    assert made[0]["description"] == "Tetangga saya lansia sakit sendirian."
    assert "Pak Darsono" not in str(made)  # whom they reported about is another person
    pdf = client.get(f"/hak-subjek/orang/{reporter.pk}/ekspor.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_unknown_nik_links_nothing_and_says_so(client, operator, reporter):
    complaint = make_complaint()
    client.force_login(operator)
    answer = client.post(f"/pengaduan/{complaint.pk}/pelapor/", {"nik": "3671010101010001"})
    assert answer.status_code == 400 and "Tidak ada orang dengan NIK ini di registri" in answer.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).reporter_person is None


def test_a_blank_nik_removes_the_link(client, operator, reporter):
    complaint = make_complaint(reporter_person=reporter)
    client.force_login(operator)
    assert client.post(f"/pengaduan/{complaint.pk}/pelapor/", {"nik": ""}).status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).reporter_person is None
    assert person_export(reporter)["complaints_made"] == []


def test_only_dinsos_may_link_a_reporter(client, psm_a, tksk_a, reporter):
    complaint = make_complaint()
    for user in (psm_a, tksk_a):
        client.force_login(user)
        assert "Pelapor di registri" not in client.get(f"/pengaduan/{complaint.pk}/").content.decode()
        assert client.post(f"/pengaduan/{complaint.pk}/pelapor/", {"nik": reporter.nik}).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).reporter_person is None


def test_a_restricted_reporter_keeps_the_complaint_visible_but_not_the_link(
    client, admin_user, operator, psm_a, reporter
):
    complaint = make_complaint(reporter_person=reporter)
    services.person_restrict(person=reporter, actor=admin_user, reason="keberatan")
    assert Complaint.objects.visible_to(psm_a).filter(pk=complaint.pk).exists()  # someone else still needs help
    client.force_login(operator)
    page = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert reporter.name not in page and "(data pelapor dibatasi)" in page
    assert client.post(f"/pengaduan/{complaint.pk}/pelapor/", {"nik": reporter.nik}).status_code == 400
    client.force_login(admin_user)
    assert reporter.name in client.get(f"/pengaduan/{complaint.pk}/").content.decode()


def test_erasing_complaint_contacts_also_drops_the_reporter_link(operator, reporter):
    complaint = make_complaint(reporter_person=reporter, reporter_name="", reporter_phone="")
    Complaint.objects.filter(pk=complaint.pk).update(
        status="ditutup", close_reason="bukan_ppks", triaged_at=timezone.now() - timedelta(days=400)
    )
    assert complaints_erase_contacts(triaged_before=timezone.now() - timedelta(days=365)) == 1
    assert Complaint.objects.get(pk=complaint.pk).reporter_person is None
