"""Correcting persons and households from the pages: a person's data (NIK checks, reason, audit), a
household's KK number with its history, a move to another KK; login, area, permission and bad input."""

from datetime import date

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.identity.nik import make_nik
from pilar.registry.correction_forms import person_values
from pilar.registry.models import HouseholdKk, HouseholdMember
from tests.conftest import KEC_A, KEL_A, KEL_B
from tests.registry.makers import household_in, next_kk, person_in

BORN = date(1985, 6, 7)


def edit_url(person):
    return reverse("registry:person_edit", args=[person.pk])


def posted(person, **changes):
    """The edit form as the page submits it: every field, some changed."""
    return {**person_values(person), "reason": "KTP diperlihatkan", **changes}


@pytest.mark.parametrize("name", ["person_edit", "person_move", "household_detail", "household_change_kk"])
def test_correction_pages_need_a_login(client, city, name):
    household = household_in(KEL_A)
    pk = household.pk if name.startswith("household") else household.head_id
    response = client.get(reverse(f"registry:{name}", args=[pk]))
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_operator_adds_a_nik_later_and_corrects_the_name(client, city, operator):
    person = person_in(KEL_A, name="Siti Aminah", sex="P", birth_date=BORN, nik=None)
    nik = make_nik(kecamatan_code=KEC_A, birth_date=BORN, sex="P", serial=77)
    client.force_login(operator)
    assert client.get(edit_url(person)).status_code == 200
    response = client.post(edit_url(person), posted(person, nik=nik, name="Siti Aminah Lestari"))
    assert response.status_code == 302 and response["Location"] == reverse("registry:person_detail", args=[person.pk])
    person.refresh_from_db()
    assert (person.nik, person.name) == (nik, "Siti Aminah Lestari")
    entry = AuditEntry.objects.get(action="registry.person.corrected", object_id=str(person.pk))
    assert entry.data["reason"] == "KTP diperlihatkan" and set(entry.changes) == {"nik", "name"}
    assert PersonalDataAccess.objects.filter(user=operator).exists()


def test_a_nik_against_the_birth_date_a_taken_nik_and_no_reason_are_refused_and_nothing_saved(client, city, operator):
    person = person_in(KEL_A, name="Budi", sex="L", birth_date=BORN, nik=None)
    other = person_in(KEL_A)
    wrong = make_nik(kecamatan_code=KEC_A, birth_date=date(1990, 1, 1), sex="L", serial=5)
    client.force_login(operator)
    cases = [
        (posted(person, nik=wrong), "Tanggal lahir tidak sesuai dengan NIK"),
        (posted(person, nik=other.nik), "NIK ini sudah terdaftar"),
        (posted(person, nik="12"), "NIK harus 16 digit angka"),
        (posted(person, reason=""), "Alasan perubahan wajib diisi"),
        (posted(person, birth_date="2999-01-01"), "Tanggal lahir tidak boleh di masa depan"),
    ]
    for data, message in cases:
        response = client.post(edit_url(person), data)
        assert response.status_code == 200 and message in response.content.decode(), message
    person.refresh_from_db()
    assert (person.nik, person.name) == (None, "Budi")
    assert not AuditEntry.objects.filter(action="registry.person.corrected").exists()


def test_person_correction_out_of_area_is_404_and_without_permission_403(client, city, tksk_a, psm_a):
    here, there = person_in(KEL_A), person_in(KEL_B)
    client.force_login(tksk_a)
    assert client.get(edit_url(there)).status_code == 404
    assert client.post(edit_url(there), posted(there, name="X")).status_code == 404
    assert client.get(edit_url(here)).status_code == 200
    client.force_login(psm_a)
    assert client.get(edit_url(here)).status_code == 403
    assert client.post(edit_url(here), posted(here, name="X")).status_code == 403
    here.refresh_from_db()
    assert here.name != "X"


def test_person_page_offers_corrections_only_to_editors(client, city, tksk_a, psm_a):
    household = household_in(KEL_A)
    url = reverse("registry:person_detail", args=[household.head_id])
    client.force_login(tksk_a)
    page = client.get(url).content.decode()
    assert edit_url(household.head) in page and reverse("registry:household_detail", args=[household.pk]) in page
    client.force_login(psm_a)
    assert edit_url(household.head) not in client.get(url).content.decode()


def test_operator_changes_the_kk_number_and_the_old_one_stays_in_the_history(client, city, operator):
    household = household_in(KEL_A, actor=operator)
    old, new = household.kk_number, next_kk()
    url = reverse("registry:household_change_kk", args=[household.pk])
    client.force_login(operator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kk_number": new, "on": "2026-01-02", "reason": "KK diterbitkan ulang"})
    assert response["Location"] == reverse("registry:household_detail", args=[household.pk])
    household.refresh_from_db()
    assert household.kk_number == new
    history = HouseholdKk.objects.filter(household=household)
    assert history.get(valid_until__isnull=True).kk_number == new
    assert history.get(kk_number=old).valid_until == date(2026, 1, 2)
    page = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert new in page and old in page and "KK diterbitkan ulang" in page


def test_a_bad_or_taken_kk_number_or_a_future_date_is_refused(client, city, operator):
    household, other = household_in(KEL_A), household_in(KEL_A)
    url = reverse("registry:household_change_kk", args=[household.pk])
    client.force_login(operator)
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    cases = [
        ({"kk_number": "123", "on": "2026-01-02", "reason": "r"}, "Nomor KK harus 16 digit angka"),
        ({"kk_number": other.kk_number, "on": "2026-01-02", "reason": "r"}, "sudah terdaftar"),
        ({"kk_number": next_kk(), "on": future, "reason": "r"}, "masa depan"),
        ({"kk_number": next_kk(), "on": "2026-01-02", "reason": ""}, "Alasan perubahan wajib diisi"),
    ]
    before = household.kk_number
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200 and (
            message in response.content.decode() or message in response.context["form"].errors
        )
    household.refresh_from_db()
    assert household.kk_number == before and not HouseholdKk.objects.filter(household=household, reason="r").exists()


def test_household_pages_out_of_area_are_404_and_kk_change_without_permission_403(client, city, tksk_a, psm_a):
    here, there = household_in(KEL_A), household_in(KEL_B)
    client.force_login(tksk_a)
    assert client.get(reverse("registry:household_detail", args=[there.pk])).status_code == 404
    assert client.post(reverse("registry:household_change_kk", args=[there.pk]), {}).status_code == 404
    client.force_login(psm_a)
    assert client.get(reverse("registry:household_detail", args=[here.pk])).status_code == 200
    assert client.get(reverse("registry:household_change_kk", args=[here.pk])).status_code == 403


def test_tksk_moves_a_child_to_another_kk(client, city, tksk_a):
    origin, target = household_in(KEL_A, size=2), household_in(KEL_A)
    child = HouseholdMember.objects.get(household=origin, relationship="anak").person
    url = reverse("registry:person_move", args=[child.pk])
    client.force_login(tksk_a)
    assert client.get(url).status_code == 200
    data = {"kk_number": target.kk_number, "relationship": "anak", "on": "2026-01-02", "reason": "Menikah"}
    assert client.post(url, data)["Location"] == reverse("registry:household_detail", args=[target.pk])
    assert HouseholdMember.objects.get(person=child, until__isnull=True).household == target
    assert HouseholdMember.objects.get(person=child, household=origin).until == date(2026, 1, 2)
    assert AuditEntry.objects.filter(action="registry.household.member_moved", object_id=str(child.pk)).exists()


def test_a_move_to_an_unknown_or_out_of_area_kk_or_of_the_head_is_refused(client, city, tksk_a):
    origin, elsewhere = household_in(KEL_A, size=2), household_in(KEL_B)
    child = HouseholdMember.objects.get(household=origin, relationship="anak").person
    client.force_login(tksk_a)
    base = {"relationship": "anak", "on": "2026-01-02", "reason": "r"}
    cases = [
        (child, {**base, "kk_number": elsewhere.kk_number}, "Tidak ada KK dengan nomor ini di wilayah Anda"),
        (child, {**base, "kk_number": origin.kk_number}, "sudah anggota KK tersebut"),
        (origin.head, {**base, "kk_number": household_in(KEL_A).kk_number}, "Kepala keluarga tidak dapat dipindah"),
    ]
    for person, data, message in cases:
        response = client.post(reverse("registry:person_move", args=[person.pk]), data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert HouseholdMember.objects.get(person=child, until__isnull=True).household == origin


def test_household_page_shows_the_kk_as_the_visibility_table_allows(client, city, pimpinan, operator):
    household = household_in(KEL_A)
    url = reverse("registry:household_detail", args=[household.pk])
    client.force_login(pimpinan)
    page = client.get(url).content.decode()
    assert household.kk_number not in page and household.kk_number[:4] in page
    assert "Ganti nomor KK" not in page
    client.force_login(operator)
    assert household.kk_number in client.get(url).content.decode()
