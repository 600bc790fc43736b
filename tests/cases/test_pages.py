"""The case pages: login, scoping (404 outside the area), forms refusing bad input, the steps on offer."""

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.urls import reverse

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.cases import services
from pilar.cases.models import Case, CaseDocument, Plan, Stage
from tests.cases.conftest import assessed, planned
from tests.conftest import KEL_A

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_pages_need_login(client, case_a):
    for url in (
        reverse("cases:list"),
        reverse("cases:create"),
        reverse("cases:overdue"),
        reverse("cases:counts"),
        case_a.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))


def test_action_needs_login(client, case_a):
    response = client.post(reverse("cases:note", args=[case_a.pk]), {"text": "x"})
    assert response.status_code == 302
    assert not case_a.notes.exists()


def test_psm_of_another_kelurahan_gets_404_for_the_case_and_its_actions(client, case_a, psm_b):
    login(client, psm_b)
    assert client.get(case_a.get_absolute_url()).status_code == 404
    assert client.post(reverse("cases:note", args=[case_a.pk]), {"text": "x"}).status_code == 404
    assert not case_a.notes.exists()


def test_psm_of_another_kelurahan_sees_none_in_the_list(client, case_a, psm_b):
    response = login(client, psm_b).get(reverse("cases:list"))
    assert response.status_code == 200
    assert case_a.reference not in response.content.decode()


def test_opd_user_sees_no_cases(client, case_a, opd_user):
    login(client, opd_user)
    assert client.get(reverse("cases:list")).status_code == 403
    assert client.get(case_a.get_absolute_url()).status_code == 404


def test_pimpinan_reads_city_wide_but_changes_nothing(client, case_a, pimpinan):
    login(client, pimpinan)
    response = client.get(case_a.get_absolute_url())
    assert response.status_code == 200 and "Tindakan" not in response.content.decode()
    assert client.post(reverse("cases:note", args=[case_a.pk]), {"text": "x"}).status_code == 403


def test_list_filters_and_logs_the_view(client, make_case, psm_a, tksk_a):
    kept = make_case(psm_a)
    other = make_case(psm_a, summary="Anak putus sekolah")
    services.case_advance(actor=psm_a, case=other)
    response = login(client, tksk_a).get(reverse("cases:list"), {"stage": "intake", "kecamatan": "36.71.01"})
    body = response.content.decode()
    assert kept.reference in body and other.reference not in body
    assert PersonalDataAccess.objects.filter(user=tksk_a, channel="page", subject_count=1).exists()


def test_list_queries_do_not_grow_with_the_cases(client, make_case, operator, psm_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, operator)
    counts = []
    for more in (2, 10):
        for _ in range(more):
            make_case(psm_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:list")).status_code == 200
        counts.append(len(queries))
    # 15 before verification in two steps (+1: the session's authenticator) and the audit hash chain (+2: its head)
    assert counts[0] == counts[1] <= 18


def test_psm_opens_a_case_on_the_page(client, psm_a):
    response = login(client, psm_a).post(
        reverse("cases:create"),
        {
            "kelurahan": KEL_A,
            "source": "temuan_psm",
            "category": "PPKS-08",
            "subject_name": "Pak Darto",
            "summary": "Lansia sakit tinggal sendiri",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.stage == Stage.INTAKE and list(case.assigned.all()) == [psm_a]


def test_open_form_refuses_bad_input_and_saves_nothing(client, psm_a):
    response = login(client, psm_a).post(
        reverse("cases:create"),
        {
            "kelurahan": "36.71.03.1001",
            "source": "pengaduan",
            "summary": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ringkasan masalah wajib diisi." in body and "Isi nama orang yang ditangani" in body
    assert response.context["form"].errors.keys() >= {"kelurahan", "source", "summary", "subject_name"}
    assert not Case.objects.exists()


def test_detail_offers_the_assessment_and_logs_the_view(client, case_a, psm_a):
    response = login(client, psm_a).get(case_a.get_absolute_url())
    assert response.status_code == 200
    assert "assess" in response.context["forms"] and "plan" not in response.context["forms"]
    assert PersonalDataAccess.objects.filter(user=psm_a, object_id=str(case_a.pk)).exists()


def test_assessment_on_the_page(client, case_a, psm_a):
    response = login(client, psm_a).post(
        reverse("cases:assess", args=[case_a.pk]), {"factors": ["kekerasan", "kesehatan"], "needs": "Perawatan"}
    )
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.risk_level == "kritis" and case_a.stage == Stage.ASSESSMENT


def test_plan_form_refuses_a_missing_target_date(client, case_a, psm_a):
    assessed(case_a, psm_a)
    response = login(client, psm_a).post(reverse("cases:plan", args=[case_a.pk]), {"goals": "a", "actions": "b"})
    assert response.status_code == 400 and not Plan.objects.exists()


def test_psm_cannot_approve_own_plan_on_the_page(client, case_a, psm_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    login(client, psm_a)
    assert client.get(case_a.get_absolute_url()).context["decide_plan"] is None
    assert client.post(reverse("cases:plan_approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PENDING


def test_tksk_approves_the_plan_on_the_page(client, case_a, psm_a, tksk_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    login(client, tksk_a)
    assert client.get(case_a.get_absolute_url()).context["decide_plan"] == plan
    response = client.post(reverse("cases:plan_approve", args=[plan.pk]), {"note": "Setuju"})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.stage == Stage.INTERVENTION


def test_returning_a_plan_needs_a_reason(client, case_a, psm_a, tksk_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    response = login(client, tksk_a).post(reverse("cases:plan_return", args=[plan.pk]), {"note": ""})
    assert response.status_code == 400 and "Tuliskan apa yang perlu diperbaiki." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PENDING


def test_advancing_past_a_missing_assessment_shows_why(client, case_a, psm_a):
    services.case_advance(actor=psm_a, case=case_a)
    response = login(client, psm_a).post(reverse("cases:advance", args=[case_a.pk]), {"note": ""})
    assert response.status_code == 409 and "Lakukan asesmen terlebih dahulu." in response.content.decode()


def test_close_form_needs_outcome_and_reason(client, case_a, psm_a):
    response = login(client, psm_a).post(reverse("cases:close", args=[case_a.pk]), {"outcome": "x", "reason": ""})
    assert response.status_code == 400
    case_a.refresh_from_db()
    assert case_a.stage == Stage.INTAKE


def test_document_upload_refuses_a_file_that_is_no_image(client, case_a, psm_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not really a photo", content_type="image/jpeg")
    response = login(client, psm_a).post(reverse("cases:document", args=[case_a.pk]), {"file": fake})
    assert response.status_code == 400 and "Jenis berkas tidak diterima" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_document_is_served_only_inside_the_area(client, case_a, psm_a, psm_b, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    document = services.case_document_add(actor=psm_a, case=case_a, upload=pdf, caption="Surat RT")
    url = reverse("cases:document_file", args=[document.pk])
    assert login(client, psm_a).get(url)["Content-Type"] == "application/pdf"
    client.logout()
    assert login(client, psm_b).get(url).status_code == 404


def test_overview_pages_count_overdue_cases(client, case_a, tksk_a):
    from tests.cases.conftest import age

    age(case_a, 10)  # intake allows 3 days
    login(client, tksk_a)
    overdue = client.get(reverse("cases:overdue"))
    assert overdue.status_code == 200
    assert overdue.context["by_worker"][0] == {"username": "psm.a", "name": str(case_a.assigned.get()), "overdue": 1}
    counts = client.get(reverse("cases:counts")).context["counts"]
    assert counts["kecamatan"][0]["overdue"] == 1 and counts["kelurahan"][0]["by_stage"]["intake"] == 1


def test_overview_pages_show_nothing_outside_the_area(client, case_a, psm_b):
    from tests.cases.conftest import age

    age(case_a, 10)
    login(client, psm_b)
    assert client.get(reverse("cases:overdue")).context["by_kecamatan"] == []
    assert client.get(reverse("cases:counts")).context["counts"]["kelurahan"] == []


def test_audit_trail_has_the_page_actions(client, case_a, psm_a):
    login(client, psm_a).post(
        reverse("cases:visit", args=[case_a.pk]), {"visit_date": "2020-01-01", "visitors": "", "findings": ""}
    )
    assert not case_a.visits.exists()
    assert not AuditEntry.objects.filter(action="cases.visit.added").exists()


def test_supervisor_who_wrote_the_plan_is_told_why_it_is_refused(client, make_case, tksk_a):
    case = assessed(make_case(tksk_a), tksk_a)
    plan = planned(case, tksk_a)
    response = login(client, tksk_a).post(reverse("cases:plan_approve", args=[plan.pk]), {"note": ""})
    assert response.status_code == 409
    assert "Rencana tidak dapat diputuskan oleh penyusunnya sendiri." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PENDING


def test_accepting_a_transfer_twice_is_refused_with_a_message(client, case_a, psm_a, tksk_a):
    transfer = services.case_transfer(actor=psm_a, case=case_a, to_user=tksk_a, reason="Kasus berat")
    login(client, tksk_a)
    url = reverse("cases:transfer_accept", args=[transfer.pk])
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 409 and "Serah terima ini sudah diputuskan." in again.content.decode()


def test_empty_note_is_refused_with_a_message(client, case_a, psm_a):
    response = login(client, psm_a).post(reverse("cases:note", args=[case_a.pk]), {"text": "  "})
    assert response.status_code == 400 and not case_a.notes.exists()
    assert response.context["forms"]["note"].errors


def test_transfer_to_an_unknown_worker_is_refused(client, case_a, psm_a, psm_b):
    response = login(client, psm_a).post(
        reverse("cases:transfer", args=[case_a.pk]), {"to_user": psm_b.username, "reason": "Cuti"}
    )
    assert response.status_code == 400
    assert "Petugas tidak dikenal di kecamatan ini." in response.content.decode()
    assert not case_a.transfers.exists()


def test_list_finds_a_case_by_name_or_reference(client, make_case, psm_a):
    wanted = make_case(psm_a, subject_name="Mbah Sarinah")
    make_case(psm_a, subject_name="Pak Udin")
    login(client, psm_a)
    for q in ("sarinah", wanted.reference, str(wanted.pk)):
        rows = client.get(reverse("cases:list"), {"q": q}).context["rows"]
        assert [r["case"] for r in rows] == [wanted], q


def test_a_family_case_is_opened_for_a_household_of_the_area(client, psm_a, city):
    from pilar.registry import services as registry
    from tests.factories import PersonFactory, region

    head = PersonFactory(village=region(KEL_A))
    family = registry.household_create(
        actor=psm_a, kk_number="3671011201090001", kelurahan=region(KEL_A), members=[(head, "kepala")]
    )
    response = login(client, psm_a).post(
        reverse("cases:create"),
        {
            "kelurahan": KEL_A,
            "source": "temuan_psm",
            "household": family.pk,
            "summary": "Keluarga tanpa penghasilan",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.household == family and case.subject_label == head.name
