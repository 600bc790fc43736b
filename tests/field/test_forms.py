"""The offline field forms on existing records (pilar/field/form_views.py): the TKSK's field verification, a
case's home visit and note, the training check-in. Each is scoped like its record's page, runs the one service
of its step, makes one record when the outbox sends it twice (same Idempotency-Key), answers a refusal with the
server's message on the form, and the verification shows both sides when the record changed meanwhile."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.cases import services as case_services
from pilar.cases.models import Case, CaseNote, HomeVisit
from pilar.complaints.models import Complaint
from pilar.core.models import IdempotencyKey
from pilar.registry import services
from pilar.registry.models import Category, PpksEvent, PpksRecord
from pilar.trainings.models import Attendance
from tests.conftest import KEL_A, KEL_B
from tests.factories import region
from tests.registry.makers import person_in, propose
from tests.trainings.conftest import make_event
from tests.trainings.test_pages import invite

pytestmark = pytest.mark.django_db

KEY = "field-7c1e2a90-verval"


def open_case(actor) -> Case:
    """A case of kelurahan A opened (and so held) by ``actor``, the way the pages open it."""
    return case_services.case_open(
        actor=actor,
        kelurahan=region(KEL_A),
        category=Category.objects.get(code="PPKS-09"),
        source=Case.Source.PSM_FINDING,
        summary="Lansia hidup sendiri.",
        subject_name="Ibu Siti",
        address="Jl. Ki Samaun No. 3",
    )


def verval_url(record) -> str:
    return reverse("field:verval", args=[record.pk])


def seen_of(page) -> str:
    return re.search(r'name="seen" value="([^"]+)"', page.content.decode()).group(1)


def verify(client, record, key=KEY, **data):
    return client.post(
        verval_url(record), {"result": "ditemukan", "note": "Ada di rumah"} | data, headers={"Idempotency-Key": key}
    )


# --- field verification ------------------------------------------------------------------------------------------


def test_the_verification_page_is_an_offline_draft_form_with_the_record_masked_for_the_tksk(client, psm_a, tksk_a):
    record = propose(psm_a)
    client.force_login(tksk_a)
    page = client.get(verval_url(record))
    text = page.content.decode()
    assert page.status_code == 200
    assert "data-field-form data-draft" in text and 'name="idempotency_key"' in text and 'name="seen"' in text
    assert record.category.name in text and "field/forms.js" in text


def test_a_tksk_verifies_offline_and_the_replayed_sending_verifies_once(client, psm_a, tksk_a):
    record = propose(psm_a)
    client.force_login(tksk_a)
    seen = seen_of(client.get(verval_url(record)))
    first, again = verify(client, record, seen=seen), verify(client, record, seen=seen)
    assert first.status_code == again.status_code == 302 and first.url == again.url == record.get_absolute_url()
    assert again["Idempotent-Replayed"] == "true"
    record.refresh_from_db()
    assert record.status == "diverifikasi" and record.verified_by == tksk_a
    assert PpksEvent.objects.filter(record=record, action="verified").count() == 1
    assert AuditEntry.objects.filter(action="registry.ppks.verified").count() == 1


def test_a_psm_cannot_verify_and_a_tksk_of_another_kecamatan_does_not_find_the_record(client, psm_a, psm_b, tksk_a):
    record = propose(psm_a)
    client.force_login(psm_a)
    assert verify(client, record).status_code == 403
    other = propose(psm_b, kelurahan_code=KEL_B)
    client.force_login(tksk_a)
    assert client.get(verval_url(other)).status_code == 404
    assert verify(client, other, key="field-other-kecamatan").status_code == 404
    assert PpksRecord.objects.filter(status="diverifikasi").count() == 0


def test_a_refused_verification_comes_back_with_the_servers_message_and_keeps_no_key(client, psm_a, tksk_a):
    record = propose(psm_a)
    client.force_login(tksk_a)
    missing = verify(client, record, result="")
    assert missing.status_code == 400 and "Hasil verifikasi lapangan wajib dipilih." in missing.content.decode()
    assert not IdempotencyKey.objects.exists()
    assert verify(client, record).status_code == 302  # fixed, the same key goes through


def test_a_record_changed_meanwhile_shows_both_sides_and_sending_again_over_the_new_version_is_the_servers_call(
    client, psm_a, tksk_a, operator
):
    record = propose(psm_a)
    client.force_login(tksk_a)
    seen = seen_of(client.get(verval_url(record)))
    services.ppks_return(record=record, actor=operator, reason="Alamat kurang lengkap")  # while the TKSK is offline
    answer = verify(client, record, seen=seen, note="Rumah kosong")
    text = answer.content.decode()
    assert answer.status_code == 409 and "data-conflict" in text
    assert "Diusulkan" in text and "Perlu perbaikan" in text and "Rumah kosong" in text
    record.refresh_from_db()
    assert record.status == "perlu_perbaikan" and not IdempotencyKey.objects.exists()
    fresh = re.search(r'data-seen="([^"]+)"', text).group(1)
    kept = verify(client, record, seen=fresh, note="Rumah kosong")  # "Kirim isian saya"
    assert kept.status_code == 400 and "Hanya usulan berstatus diusulkan" in kept.content.decode()


def test_an_unchanged_record_is_no_conflict_and_a_forged_token_is_one(client, psm_a, tksk_a):
    record = propose(psm_a)
    client.force_login(tksk_a)
    assert verify(client, record, seen="not-a-signed-token").status_code == 409
    assert (
        verify(client, record, key="field-second-key", seen=seen_of(client.get(verval_url(record)))).status_code == 302
    )


# --- case home visit and note --------------------------------------------------------------------------------------


def test_the_assigned_psm_records_a_home_visit_once_however_often_the_outbox_sends_it(client, psm_a):
    case = open_case(psm_a)
    client.force_login(psm_a)
    url = reverse("field:case_visit", args=[case.pk])
    assert "data-field-form data-draft" in client.get(url).content.decode()
    data = {"visit_date": case.created_at.date().isoformat(), "visitors": "PSM Sukarasa", "findings": "Lansia sehat"}
    for _ in range(2):
        answer = client.post(url, data, headers={"Idempotency-Key": "field-visit-1"})
        assert answer.status_code == 302 and answer.url == case.get_absolute_url()
    assert HomeVisit.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.filter(action="cases.visit.added").count() == 1


def test_a_case_note_from_the_field_and_its_refusal_in_bahasa_indonesia(client, psm_a):
    case = open_case(psm_a)
    client.force_login(psm_a)
    url = reverse("field:case_note", args=[case.pk])
    empty = client.post(url, {"text": "  "}, headers={"Idempotency-Key": "field-note-0"})
    assert empty.status_code == 400 and "Catatan" in empty.content.decode()
    for _ in range(2):
        assert (
            client.post(
                url, {"text": "Keluarga bersedia merawat"}, headers={"Idempotency-Key": "field-note-1"}
            ).status_code
            == 302
        )
    assert CaseNote.objects.filter(case=case).count() == 1


def test_a_psm_of_another_kelurahan_cannot_write_on_a_case_outside_their_area(client, psm_a, psm_b):
    case = open_case(psm_a)
    client.force_login(psm_b)
    data = {"visit_date": case.created_at.date().isoformat(), "visitors": "X", "findings": "Y"}
    answer = client.post(reverse("field:case_visit", args=[case.pk]), data)
    assert answer.status_code == 404
    assert client.post(reverse("field:case_note", args=[case.pk]), {"text": "Z"}).status_code == 404
    assert not HomeVisit.objects.exists() and not CaseNote.objects.exists()


def test_a_visit_dated_in_the_future_is_refused_with_the_services_message(client, psm_a):
    case = open_case(psm_a)
    client.force_login(psm_a)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = client.post(
        reverse("field:case_visit", args=[case.pk]),
        {"visit_date": tomorrow, "visitors": "PSM", "findings": "Rumah kosong"},
        headers={"Idempotency-Key": "field-visit-future"},
    )
    assert answer.status_code == 400 and "Tanggal kunjungan tidak boleh di masa depan." in answer.content.decode()
    assert not HomeVisit.objects.exists() and not IdempotencyKey.objects.exists()


# --- training check-in ---------------------------------------------------------------------------------------------


def test_a_training_check_in_sent_twice_is_one_attendance(client, operator, psm_a):
    event = make_event(operator)
    invite(event, operator)
    client.force_login(psm_a)
    url = reverse("field:check_in")
    page = client.get(url).content.decode()
    assert "data-field-form data-draft" in page and event.sessions.get().name in page
    for _ in range(2):
        answer = client.post(url, {"code": event.checkin_code}, headers={"Idempotency-Key": "field-checkin-1"})
        assert answer.status_code == 302 and answer.url == reverse("trainings:mine")
    assert Attendance.objects.filter(participant__worker__user=psm_a).count() == 1


def test_a_check_in_with_a_wrong_code_or_by_someone_not_invited_is_refused_with_the_message(
    client, operator, psm_a, psm_b
):
    event = make_event(operator)
    invite(event, operator)
    client.force_login(psm_a)
    wrong = client.post(reverse("field:check_in"), {"code": "ZZZZZZ"})
    assert wrong.status_code == 400 and "Kode presensi tidak dikenal" in wrong.content.decode()
    client.force_login(psm_b)
    stranger = client.post(reverse("field:check_in"), {"code": event.checkin_code})
    assert stranger.status_code == 400 and "tidak terdaftar sebagai peserta" in stranger.content.decode()
    assert not Attendance.objects.exists()


def test_the_field_home_offers_the_forms_each_role_may_fill(client, psm_a, tksk_a):
    client.force_login(tksk_a)
    home = client.get(reverse("field:home")).content.decode()
    assert "data-verify" in home
    client.force_login(psm_a)
    home = client.get(reverse("field:home")).content.decode()
    assert "data-verify" not in home and "data-cases" in home and "data-checkin" in home


def test_the_service_worker_keeps_the_field_form_pages_for_offline_use(client):
    source = client.get("/sw.js").content.decode()
    assert "verifikasi" in source and "kunjungan|catatan" in source and "presensi" in source


# --- complaint intake on a resident's behalf -----------------------------------------------------------------------


def intake(**extra) -> dict:
    base = {
        "kelurahan": KEL_A,
        "address": "Jl. Ki Samaun gang 3, dekat musala",
        "subject_name": "Pak Darto",
        "description": "Lansia tinggal sendiri, tidak ada yang mengurus makan.",
        "reporter_name": "Bu RT",
    }
    return base | extra


def test_a_psm_takes_a_residents_complaint_in_once_however_often_the_outbox_sends_it(client, psm_a):
    client.force_login(psm_a)
    url = reverse("field:complaint_intake")
    page = client.get(url).content.decode()
    assert "data-field-form data-draft" in page and 'enctype="multipart/form-data"' in page
    for _ in range(2):
        answer = client.post(url, intake(), headers={"Idempotency-Key": "field-complaint-1"})
        assert answer.status_code == 302
    complaint = Complaint.objects.get()
    assert answer.url == complaint.get_absolute_url() and complaint.channel == "lap"
    entry = AuditEntry.objects.get(action="complaints.complaint.submitted")
    assert entry.actor_id == psm_a.pk


def test_a_psm_cannot_take_a_complaint_in_for_another_kelurahan(client, psm_a):
    client.force_login(psm_a)
    answer = client.post(reverse("field:complaint_intake"), intake(kelurahan=KEL_B))
    assert answer.status_code == 400 and "Kelurahan ini di luar wilayah tugas Anda." in answer.content.decode()
    assert not Complaint.objects.exists()


def test_a_short_complaint_is_refused_with_the_message_and_the_anonymous_quota_does_not_apply(client, psm_a):
    client.force_login(psm_a)
    url = reverse("field:complaint_intake")
    short = client.post(url, intake(description="Tolong"))
    assert short.status_code == 400 and "paling sedikit 20 huruf" in short.content.decode()
    for n in range(6):  # more than the public form's five an hour: a worker at a community meeting
        assert client.post(url, intake(), headers={"Idempotency-Key": f"field-complaint-n{n}"}).status_code == 302
    assert Complaint.objects.count() == 6


# --- PPKS proposal with the person chosen offline ------------------------------------------------------------------


def test_the_offline_proposal_page_holds_no_personal_data_and_lists_only_the_users_kelurahan(client, psm_a):
    person = person_in(name="Sumarni Wulandari")
    client.force_login(psm_a)
    page = client.get(reverse("field:propose"))
    text = page.content.decode()
    assert page.status_code == 200 and "data-field-form data-draft" in text and "field/pick.js" in text
    assert person.name not in text and person.nik not in text
    assert f'value="{KEL_A}"' in text and f'value="{KEL_B}"' not in text


def test_an_offline_proposal_sent_without_a_chosen_person_is_refused_and_saves_nothing(client, psm_a):
    client.force_login(psm_a)
    answer = client.post(reverse("field:propose"), {"category": "PPKS-11", "kelurahan": KEL_A})
    assert answer.status_code == 400 and "Pilih orang yang diusulkan dari daftar." in answer.content.decode()
    assert not PpksRecord.objects.exists()


def test_the_chosen_person_is_checked_again_a_psm_cannot_propose_someone_of_another_kelurahan(client, psm_a):
    stranger = person_in(KEL_B)
    client.force_login(psm_a)
    url = f"{reverse('registry:ppks_propose')}?person={stranger.pk}"
    answer = client.post(
        url,
        {"person": stranger.pk, "category": "PPKS-11", "kelurahan": KEL_A},
        headers={"Idempotency-Key": "field-propose-stranger"},
    )
    assert answer.status_code == 404 and not PpksRecord.objects.exists()


def test_the_field_home_keeps_the_persons_of_the_area_for_the_offline_choice(client, psm_a, operator):
    client.force_login(psm_a)
    home = client.get(reverse("field:home")).content.decode()
    assert 'data-list="persons"' in home and reverse("field:propose") in home
