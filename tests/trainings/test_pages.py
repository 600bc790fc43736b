"""Training pages: login, scope (404 outside it, 403 without the permission), bad input, htmx marking."""

import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilar.audit.models import PersonalDataAccess
from pilar.regions.models import Region
from pilar.trainings import attendance, services
from pilar.trainings.models import Certificate, Event, Material, Participant
from pilar.trainings.services import Target
from tests.conftest import KEC_A, KEC_B, KEL_A
from tests.trainings.conftest import make_event

pytestmark = pytest.mark.django_db


def invite(event, operator, code=KEL_A, target=Target.PSM_KELURAHAN):
    return services.participants_invite(
        event=event, actor=operator, target=target, region=Region.objects.get(code=code)
    )


def complete_all(event, operator):
    ids = list(event.participants.values_list("pk", flat=True))
    attendance.attendance_mark(session=event.sessions.get(), actor=operator, present=ids)


def event_form(**overrides):
    return {
        "kind": "bimtek",
        "title": "Bimtek Pendataan PPKS",
        "start_date": "2026-12-01",
        "end_date": "2026-12-02",
        "venue": "Gedung Pusat Pemerintahan",
        "organiser": "Dinas Sosial Kota Tangerang",
        "speakers": "",
        "topics": "",
        "target_group": "PSM",
        "capacity": "",
        "completion_percent": "100",
        "signatory_name": "",
        "signatory_nip": "",
    } | overrides


PAGES = [
    ("trainings:list", []),
    ("trainings:create", []),
    ("trainings:checkin", []),
    ("trainings:mine", []),
    ("trainings:recap", []),
    ("trainings:untrained", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_need_a_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_event_pages_need_a_login(client, event):
    for url in (
        event.get_absolute_url(),
        reverse("trainings:attendance", args=[event.sessions.get().pk]),
        reverse("trainings:worker_history", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url


def test_operator_creates_an_event_with_one_session_per_day(client, operator):
    client.force_login(operator)
    response = client.post(reverse("trainings:create"), event_form())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert [s.name for s in event.sessions.all()] == ["Hari 1", "Hari 2"]
    assert len(event.checkin_code) == 6


def test_event_with_end_before_start_is_refused_and_nothing_saved(client, operator):
    client.force_login(operator)
    response = client.post(reverse("trainings:create"), event_form(end_date="2026-11-30"))
    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai" in response.content.decode()
    assert not Event.objects.exists()


def test_psm_cannot_create_an_event(client, psm_a):
    client.force_login(psm_a)
    assert client.get(reverse("trainings:create")).status_code == 403
    assert client.post(reverse("trainings:create"), event_form()).status_code == 403


def test_psm_sees_only_events_they_are_invited_to(client, operator, psm_a, psm_b, event):
    invite(event, operator)
    client.force_login(psm_b)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert event.title not in client.get(reverse("trainings:list")).content.decode()
    client.force_login(psm_a)
    page = client.get(event.get_absolute_url())
    assert page.status_code == 200 and event.checkin_code not in page.content.decode()


def test_tksk_sees_only_their_kecamatan_participants(client, operator, tksk_a, psm_a, psm_b, event):
    invite(event, operator, target=Target.PSM_ALL, code=KEC_A)
    client.force_login(tksk_a)
    html = client.get(event.get_absolute_url()).content.decode()
    assert psm_a.worker.person.name in html
    assert psm_b.worker.person.name not in html
    other = Participant.objects.get(worker__user=psm_b)
    complete_all(event, _operator(event))
    assert client.get(reverse("trainings:certificate", args=[other.pk])).status_code == 404


def _operator(event):
    return event.created_by


def test_tksk_cannot_open_the_attendance_list(client, tksk_a, event):
    client.force_login(tksk_a)
    assert client.get(reverse("trainings:attendance", args=[event.sessions.get().pk])).status_code == 403


def test_invite_form_over_capacity_shows_the_message(client, operator, psm_a):
    event = make_event(operator, capacity=0)
    client.force_login(operator)
    response = client.post(reverse("trainings:invite", args=[event.pk]), {"target": "psm_semua"})
    assert response.status_code == 400
    assert "Kapasitas pelatihan 0 orang" in response.content.decode()
    assert not event.participants.exists()


def test_invite_form_without_kecamatan_says_so(client, operator, event):
    client.force_login(operator)
    response = client.post(reverse("trainings:invite", args=[event.pk]), {"target": "psm_kecamatan"})
    assert response.status_code == 400
    assert "Pilih kecamatan yang diundang" in response.content.decode()


def test_htmx_checkbox_saves_one_participant_and_never_revokes_a_certificate_unasked(client, operator, psm_a, event):
    invite(event, operator)
    participant, session = event.participants.get(), event.sessions.get()
    client.force_login(operator)
    url = reverse("trainings:attendance_toggle", args=[session.pk])
    response = client.post(url, {"participant": participant.pk, "present": str(participant.pk)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="p-{participant.pk}"' in response.content.decode() and "checked" in response.content.decode()
    participant.refresh_from_db()
    assert participant.completed
    # Unticking would revoke the certificate just issued: that goes through the page's save and its question.
    refused = client.post(url, {"participant": participant.pk}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409 and "konfirmasi" in refused.content.decode()
    participant.refresh_from_db()
    assert participant.completed and participant.certificate.is_valid
    page = client.get(reverse("trainings:attendance", args=[session.pk])).content.decode()
    row = re.search(rf'<tr id="p-{participant.pk}">.*?</tr>', page, re.S).group(0)
    assert "hx-post" not in row and "dengan konfirmasi" in row


def test_page_form_saves_ticked_and_unticked_rows(client, operator, psm_a, psm_a2, event):
    invite(event, operator, code=KEC_A, target=Target.PSM_KECAMATAN)
    first, second = event.participants.order_by("pk")
    session = event.sessions.get()
    attendance.attendance_mark(session=session, actor=operator, present=[second.pk])
    client.force_login(operator)
    url = reverse("trainings:attendance_mark", args=[session.pk])
    sent = {"shown": f"{first.pk},{second.pk}", "present": [str(first.pk)]}
    # The second participant would lose the certificate: the page asks first (shared confirmation), saves nothing.
    asked = client.post(url, sent)
    text = asked.content.decode()
    assert asked.status_code == 200 and "Sertifikat akan dicabut" in text and "data-confirm" in text
    assert second.worker.person.name in text and 'name="confirmed"' in text
    assert set(session.attendances.values_list("participant_id", flat=True)) == {second.pk}
    response = client.post(url, sent | {"confirmed": "1"})
    assert response.status_code == 302
    assert set(session.attendances.values_list("participant_id", flat=True)) == {first.pk}
    assert not Certificate.objects.get(participant=second).is_valid


def test_attendance_list_queries_do_not_grow_with_rows(client, operator, city, django_assert_max_num_queries):
    from tests.factories import WorkerFactory, region

    for _i in range(40):
        WorkerFactory(region=region(KEL_A))
    event = make_event(operator)
    invite(event, operator)
    client.force_login(operator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("trainings:attendance", args=[event.sessions.get().pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_certificate_pdf_for_the_participant_and_404_for_another_psm(client, operator, psm_a, psm_b, event):
    invite(event, operator)
    complete_all(event, operator)
    participant = Participant.objects.get(worker__user=psm_a)
    url = reverse("trainings:certificate", args=[participant.pk])
    client.force_login(psm_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert PersonalDataAccess.objects.filter(user=psm_a, channel="export").exists()
    client.force_login(psm_b)
    assert client.get(url).status_code == 404


def test_no_certificate_before_completion(client, operator, psm_a, event):
    invite(event, operator)
    participant = Participant.objects.get(worker__user=psm_a)
    client.force_login(psm_a)
    assert client.get(reverse("trainings:certificate", args=[participant.pk])).status_code == 404


def test_public_verify_page_shows_name_event_and_validity_only(client, operator, psm_a, event):
    invite(event, operator)
    complete_all(event, operator)
    cert = Certificate.objects.get()
    html = client.get(reverse("trainings:verify", args=[cert.code])).content.decode()
    person = psm_a.worker.person
    assert person.name in html and event.title in html and "Sertifikat sah dan berlaku" in html
    assert person.nik not in html and person.address not in html and "Sukarasa" not in html
    lookup = client.get(reverse("trainings:verify_lookup"), {"code": cert.code.replace("-", "").lower()})
    assert lookup.status_code == 302 and lookup["Location"] == cert.get_absolute_url()


def test_unknown_certificate_code_answers_404(client):
    response = client.get(reverse("trainings:verify", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert response.status_code == 404 and "tidak ditemukan" in response.content.decode()
    bad = client.get(reverse("trainings:verify_lookup"), {"code": "12"})
    assert bad.status_code == 400 and "16 huruf dan angka" in bad.content.decode()


def test_worker_checks_in_with_the_code_form(client, operator, psm_a, event):
    invite(event, operator)
    client.force_login(psm_a)
    response = client.post(reverse("trainings:checkin"), {"code": event.checkin_code})
    assert response.status_code == 302
    assert Participant.objects.get(worker__user=psm_a).attended_sessions == 1
    wrong = client.post(reverse("trainings:checkin"), {"code": "XXXXXX"})
    assert wrong.status_code == 400 and "Kode presensi tidak dikenal" in wrong.content.decode()


def test_qr_check_in_records_on_post_only(client, operator, psm_a, event):
    invite(event, operator)
    session = event.sessions.get()
    url = reverse("trainings:checkin_qr", args=[attendance.qr_token(session)])
    client.force_login(psm_a)
    assert client.get(url).status_code == 200
    assert not session.attendances.exists()
    assert client.post(url).status_code == 302
    assert session.attendances.get().method == "qr"
    assert client.get(reverse("trainings:checkin_qr", args=["rusak"])).status_code == 400


def test_operator_projector_page_shows_code_and_qr(client, operator, event):
    client.force_login(operator)
    html = client.get(reverse("trainings:screen", args=[event.sessions.get().pk])).content.decode()
    assert event.checkin_code in html and "<svg" in html


def test_material_upload_refuses_a_renamed_file_and_keeps_a_pdf(client, operator, event):
    client.force_login(operator)
    url = reverse("trainings:material_add", args=[event.pk])
    fake = SimpleUploadedFile("materi.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Modul", "file": fake})
    assert response.status_code == 400 and "Jenis berkas tidak diterima" in response.content.decode()
    assert not Material.objects.exists()
    good = SimpleUploadedFile("modul.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert client.post(url, {"title": "Modul", "file": good}).status_code == 302
    material = Material.objects.get()
    assert material.content_type == "application/pdf"
    download = client.get(reverse("trainings:material", args=[material.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_material_of_an_event_out_of_scope_answers_404(client, operator, psm_b, event):
    material = services.material_add(
        event=event,
        actor=operator,
        title="Modul",
        upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n"),
        content_type="application/pdf",
    )
    client.force_login(psm_b)
    assert client.get(reverse("trainings:material", args=[material.pk])).status_code == 404


def test_worker_history_and_section_on_the_worker_page(client, operator, psm_a, event):
    invite(event, operator)
    complete_all(event, operator)
    worker = psm_a.worker
    client.force_login(operator)
    html = client.get(reverse("workers:detail", args=[worker.pk])).content.decode()
    assert "Riwayat pelatihan" in html and event.title in html
    assert client.get(reverse("trainings:worker_history", args=[worker.pk])).status_code == 200


def test_worker_history_of_another_kelurahan_answers_404(client, psm_a, psm_b):
    client.force_login(psm_b)
    assert client.get(reverse("trainings:worker_history", args=[psm_a.worker.pk])).status_code == 404


def test_untrained_list_excludes_who_completed_a_basic_training(client, operator, psm_a, psm_a2):
    basic = make_event(operator, kind="pelatihan_dasar", title="Pelatihan Dasar PSM")
    invite(basic, operator)
    complete_all(basic, operator)
    client.force_login(operator)
    html = client.get(reverse("trainings:untrained")).content.decode()
    assert psm_a2.worker.person.name in html
    assert psm_a.worker.person.name not in html


def test_untrained_list_of_a_tksk_stays_in_the_kecamatan(client, tksk_a, psm_a, psm_b):
    client.force_login(tksk_a)
    html = client.get(reverse("trainings:untrained")).content.decode()
    assert psm_a.worker.person.name in html and psm_b.worker.person.name not in html


def test_recap_counts_per_event_and_kecamatan(client, operator, psm_a, psm_b, event):
    invite(event, operator, target=Target.PSM_ALL, code=KEC_B)
    client.force_login(operator)
    html = client.get(reverse("trainings:recap")).content.decode()
    assert event.title in html and "Batuceper" in html and "Tangerang" in html


def test_psm_answers_the_invitation_on_their_page(client, operator, psm_a, event):
    invite(event, operator)
    participant = Participant.objects.get()
    client.force_login(psm_a)
    response = client.post(reverse("trainings:respond", args=[participant.pk]), {"response": "tidak_bisa"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.response == "tidak_bisa"
    assert event.title in client.get(reverse("trainings:mine")).content.decode()


def test_pdf_holds_the_verification_code(operator, psm_a, event):
    from pilar.trainings.certificates import latin1, render_pdf

    invite(event, operator)
    complete_all(event, operator)
    cert = Certificate.objects.get()
    pdf = render_pdf(cert, verify_url=f"http://testserver{cert.get_absolute_url()}")
    assert pdf.startswith(b"%PDF-")
    text = b"".join(
        zlib.decompress(chunk)
        for chunk in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
        if chunk[:2] == b"x\x9c"
    )
    for expected in (cert.code, psm_a.worker.person.name, event.title, "Kepala Dinas Sosial Kota Tangerang"):
        assert latin1(expected).encode("latin-1") in text, expected
    assert b"/Subtype /Image" in pdf  # the QR


def test_operator_edits_the_completion_rule_and_completion_follows(client, operator, psm_a):
    from datetime import timedelta

    from django.utils import timezone

    event = make_event(operator, days=2, start=timezone.localdate() - timedelta(days=1))
    invite(event, operator)
    participant = event.participants.get()
    attendance.attendance_mark(session=event.sessions.first(), actor=operator, present=[participant.pk])
    client.force_login(operator)
    form = event_form(
        title=event.title,
        start_date=event.start_date.isoformat(),
        end_date=event.end_date.isoformat(),
        completion_percent="50",
    )
    response = client.post(reverse("trainings:edit", args=[event.pk]), form)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.completed


def test_session_outside_the_event_dates_is_refused(client, operator, event):
    client.force_login(operator)
    response = client.post(
        reverse("trainings:session_add", args=[event.pk]), {"name": "Sesi lain", "day": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "Tanggal sesi harus di antara" in response.content.decode()
    assert event.sessions.count() == 1
