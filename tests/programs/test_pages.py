"""Program pages: login, scope (404 outside the area, 403 without the permission), the workflow, bad input."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pilar.audit.models import PersonalDataAccess
from pilar.programs.models import Enrollment, HouseAssessment
from tests.conftest import KEC_A, KEL_A2, KEL_B
from tests.programs.makers import BAD_HOUSE, RTLH, approved, assessed, proposed, record

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "brown").save(buffer, format="JPEG")
    return SimpleUploadedFile("rumah.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def enrollment(psm_a):
    return proposed("pkh", record(), psm_a)


@pytest.fixture
def house(tksk_a, psm_a):
    return assessed(proposed("bedah-rumah", record(RTLH), psm_a), tksk_a)


PAGES = [
    ("programs:program_list", None),
    ("programs:program_detail", "pkh"),
    ("programs:program_print", "pkh"),
    ("programs:enrollment_list", None),
    ("programs:enrollment_propose", None),
    ("programs:house_list", None),
    ("programs:reach", None),
]


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_every_program_page_sends_an_anonymous_visitor_to_the_login_page(client, city, name, arg):
    answer = client.get(reverse(name, args=[arg] if arg else []))
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["enrollment_detail", "house_assess"])
def test_enrollment_pages_need_a_login(client, enrollment, name):
    assert client.get(reverse(f"programs:{name}", args=[enrollment.pk])).status_code == 302


@pytest.mark.parametrize("persona", ["psm_a", "tksk_a", "operator", "pimpinan", "opd_user"])
def test_program_page_says_who_qualifies_to_every_staff_member(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for name in ("programs:program_detail", "programs:program_print"):
        answer = client.get(reverse(name, args=["bedah-rumah"]))
        assert answer.status_code == 200
        assert (
            "Cara mendaftar" in answer.text
            and "Siapa yang berhak" in answer.text
            and "tidak layak huni (RTLH)" in answer.text
        )


def test_unknown_program_is_404(client, psm_a):
    client.force_login(psm_a)
    assert client.get(reverse("programs:program_detail", args=["tidak-ada"])).status_code == 404


def test_psm_of_another_kelurahan_gets_404_for_the_enrollment_and_its_steps(client, psm_b, enrollment):
    client.force_login(psm_b)
    assert client.get(enrollment.get_absolute_url()).status_code == 404
    assert client.get(reverse("programs:house_assess", args=[enrollment.pk])).status_code == 404
    assert client.post(reverse("programs:enrollment_approve", args=[enrollment.pk])).status_code == 404


def test_psm_sees_own_area_enrollment_but_may_not_approve_it(client, psm_a, enrollment):
    client.force_login(psm_a)
    answer = client.get(enrollment.get_absolute_url())
    assert answer.status_code == 200 and "Setujui" not in answer.text
    assert client.post(reverse("programs:enrollment_approve", args=[enrollment.pk])).status_code == 403
    assert PersonalDataAccess.objects.filter(user=psm_a, object_id=str(enrollment.pk)).exists()


def test_house_pages_of_another_area_are_404(client, psm_b, house):
    client.force_login(psm_b)
    assert client.get(house.get_absolute_url()).status_code == 404
    assert client.post(reverse("programs:house_renovate", args=[house.pk])).status_code == 404


def test_enrollment_list_is_scoped_by_area(client, psm_a, psm_b, tksk_a):
    mine = proposed("pkh", record(), psm_a)
    neighbour = proposed("pkh", record(kelurahan=KEL_A2), tksk_a)
    far = proposed("pkh", record(kelurahan=KEL_B), psm_b)
    client.force_login(psm_a)
    listed = client.get(reverse("programs:enrollment_list")).context["page"].object_list
    assert {e.pk for e in listed} == {mine.pk}
    client.force_login(tksk_a)
    listed = client.get(reverse("programs:enrollment_list")).context["page"].object_list
    assert {e.pk for e in listed} == {mine.pk, neighbour.pk}
    assert far.pk not in {e.pk for e in listed}


def test_opd_user_sees_only_enrollments_of_programs_its_agency_owns(client, psm_a, opd_user):
    from pilar.accounts.models import Agency
    from pilar.programs.models import Program

    Program.objects.filter(code="pbi-jk").update(agency=Agency.objects.get(code="dinkes"))
    health = proposed("pbi-jk", record(), psm_a)
    other = proposed("pkh", record(), psm_a)
    client.force_login(opd_user)
    listed = client.get(reverse("programs:enrollment_list")).context["page"].object_list
    assert [e.pk for e in listed] == [health.pk]
    assert client.get(other.get_absolute_url()).status_code == 404
    answer = client.get(health.get_absolute_url())
    assert answer.status_code == 200 and "Setujui" not in answer.text


def test_enrollment_list_filters_and_its_queries_do_not_grow_with_the_rows(client, psm_a, tksk_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            answer = client.get(reverse("programs:enrollment_list"), {"program": "pkh", "kecamatan": KEC_A})
        return len(ctx), answer.context["page"].paginator.count

    proposed("pkh", record(), psm_a)
    proposed("bpnt", record(), psm_a)
    client.force_login(tksk_a)
    few, count = queries()
    assert count == 1
    for _ in range(5):
        proposed("pkh", record(), psm_a)
    many, count = queries()
    assert count == 6 and many == few


def test_psm_proposes_through_the_page_and_sees_every_unmet_criterion(client, psm_a):
    rec = record()
    client.force_login(psm_a)
    found = client.get(reverse("programs:enrollment_propose"), {"q": rec.household.head.name})
    assert found.status_code == 200 and f"?record={rec.pk}" in found.text
    page = client.get(reverse("programs:enrollment_propose"), {"record": rec.pk})
    assert "Kategori Fakir Miskin bukan sasaran program" in page.text  # Tangerang Cerdas is for children
    answer = client.post(
        f"{reverse('programs:enrollment_propose')}?record={rec.pk}", {"program": "pkh", "record": rec.pk, "period": ""}
    )
    enrollment = Enrollment.objects.get()
    assert answer.status_code == 302 and answer.url == enrollment.get_absolute_url()


def test_ineligible_proposal_on_the_page_shows_the_reasons_and_saves_nothing(client, psm_a):
    rec = record()
    client.force_login(psm_a)
    answer = client.post(
        f"{reverse('programs:enrollment_propose')}?record={rec.pk}", {"program": "tangerang-cerdas", "record": rec.pk}
    )
    assert answer.status_code == 400
    assert "Program ini untuk perorangan" in answer.text and "bukan sasaran program" in answer.text
    assert not Enrollment.objects.exists()


def test_proposal_for_a_record_outside_the_area_is_404(client, psm_b):
    rec = record()
    client.force_login(psm_b)
    assert client.get(reverse("programs:enrollment_propose"), {"record": rec.pk}).status_code == 404


def test_operator_approves_delivers_and_completes_through_the_pages(client, operator, enrollment):
    client.force_login(operator)
    assert client.post(reverse("programs:enrollment_approve", args=[enrollment.pk]), {"note": ""}).status_code == 302
    bad = client.post(
        reverse("programs:enrollment_deliver", args=[enrollment.pk]), {"on": date.today().isoformat(), "amount": "-5"}
    )
    assert bad.status_code == 400 and "tidak boleh negatif" in bad.text
    ok = client.post(
        reverse("programs:enrollment_deliver", args=[enrollment.pk]),
        {"on": date.today().isoformat(), "amount": "750000"},
    )
    assert ok.status_code == 302
    assert client.post(reverse("programs:enrollment_complete", args=[enrollment.pk])).status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == "selesai" and enrollment.amount == 750000
    assert "Rp 750.000" in client.get(enrollment.get_absolute_url()).text


def test_reject_without_reason_is_refused_with_a_message(client, operator, enrollment):
    client.force_login(operator)
    answer = client.post(reverse("programs:enrollment_reject", args=[enrollment.pk]), {"reason": ""})
    assert answer.status_code == 400 and "Alasan wajib diisi." in answer.text
    enrollment.refresh_from_db()
    assert enrollment.status == "diusulkan"


def test_tksk_assesses_a_house_with_a_photo_and_bad_input_saves_nothing(client, tksk_a, psm_a):
    enrollment = proposed("bedah-rumah", record(RTLH), psm_a)
    url = reverse("programs:house_assess", args=[enrollment.pk])
    client.force_login(tksk_a)
    data = {f"c_{k}": v for k, v in BAD_HOUSE.items()} | {
        "floor_area": "30",
        "occupants": "5",
        "on": date.today().isoformat(),
    }
    bad = client.post(url, {**data, "c_roof": "", "photo_1": SimpleUploadedFile("x.jpg", b"MZ not an image")})
    assert (
        bad.status_code == 400
        and "Kondisi ini wajib dipilih." in bad.text
        and "Jenis berkas tidak diterima" in bad.text
    )
    assert not HouseAssessment.objects.exists()
    answer = client.post(url, {**data, "photo_1": jpeg()})
    assessment = HouseAssessment.objects.get()
    assert answer.status_code == 302 and assessment.is_rtlh and assessment.photos.count() == 1
    photo = client.get(reverse("programs:house_photo", args=[assessment.photos.get().pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_photo_of_another_area_is_404(client, psm_b, house, tksk_a):
    from pilar.programs.models import HousePhoto

    photo = HousePhoto.objects.create(
        assessment=house, stage="sebelum", file=jpeg(), content_type="image/jpeg", size=10, uploaded_by=tksk_a
    )
    client.force_login(psm_b)
    assert client.get(reverse("programs:house_photo", args=[photo.pk])).status_code == 404


def test_renovation_through_the_page_counts_towards_no_rtlh_left(client, operator, admin_user, house):
    client.force_login(operator)
    assert client.post(reverse("programs:enrollment_approve", args=[house.enrollment_id])).status_code == 302
    answer = client.post(
        reverse("programs:house_renovate", args=[house.pk]), {"on": date.today().isoformat(), "cost": "18500000"}
    )
    assert answer.status_code == 302
    page = client.get(reverse("programs:house_list"))
    row = next(r for r in page.context["progress"] if r["kecamatan"].code == KEC_A)
    assert (row["rtlh"], row["renovated"], row["left"], row["percent"]) == (1, 1, 0, 100)
    assert "Tidak ada lagi RTLH" in page.text


def test_reach_counts_beneficiaries_per_kecamatan_and_kelurahan(client, psm_a, operator, pimpinan):
    approved("pkh", record(), psm_a, operator)
    proposed("pkh", record(), psm_a)
    client.force_login(pimpinan)
    rows = client.get(reverse("programs:reach"), {"program": "pkh"}).context["rows"]
    assert [(r["region"], r["beneficiaries"], r["proposed"]) for r in rows] == [(KEC_A, 1, 1)]
    rows = client.get(reverse("programs:reach"), {"program": "pkh", "kecamatan": KEC_A}).context["rows"]
    assert rows[0]["level"] == "kelurahan" and rows[0]["beneficiaries"] == 1


def test_program_list_shows_every_program_with_its_agency(client, psm_a):
    client.force_login(psm_a)
    answer = client.get(reverse("programs:program_list"))
    assert answer.status_code == 200
    for name in ("Tangerang Cerdas", "Bedah Rumah (RTLH)", "Tangerang Terang", "PKH", "BPNT", "PBI-JK"):
        assert name in answer.text
    assert "Dinas Perumahan, Permukiman dan Pertanahan" in answer.text


def test_house_page_explains_the_verdict_and_offers_the_renovation_only_once_approved(client, tksk_a, operator, house):
    client.force_login(tksk_a)
    page = client.get(house.get_absolute_url())
    assert page.status_code == 200 and "Tidak layak huni" in page.text and "Atap rusak berat." in page.text
    assert "Catat renovasi selesai" not in page.text
    client.force_login(operator)
    assert "Catat renovasi selesai" not in client.get(house.get_absolute_url()).text  # not approved yet
    client.post(reverse("programs:enrollment_approve", args=[house.enrollment_id]))
    assert "Catat renovasi selesai" in client.get(house.get_absolute_url()).text
    bad = client.post(reverse("programs:house_renovate", args=[house.pk]), {"on": date.today().isoformat(), "cost": ""})
    assert bad.status_code == 400
    house.refresh_from_db()
    assert house.status == "disetujui"
