"""PATCH /api/v1/persons/<id> and /api/v1/households/<id>: corrections with NIK checks, reason, audit,
KK history and moving a member; 404 outside the area, 403 without the permission, 400 on bad input."""

from datetime import date

from pilar.audit.models import AuditEntry
from pilar.identity.nik import make_nik
from pilar.registry.models import HouseholdKk, HouseholdMember
from tests.conftest import KEC_A, KEL_A, KEL_B
from tests.registry.makers import household_in, next_kk, person_in

JSON = "application/json"
BORN = date(1985, 6, 7)


def patch(client, url, payload):
    return client.patch(url, payload, content_type=JSON)


def test_patch_needs_a_token(api_as, city):
    person = person_in(KEL_A)
    assert patch(api_as(None), f"/api/v1/persons/{person.pk}", {"name": "X", "reason": "r"}).status_code == 401


def test_operator_adds_a_nik_later_and_corrects_the_name_with_a_reason(api_as, city, operator):
    person = person_in(KEL_A, name="Siti Aminah", sex="P", birth_date=BORN, nik=None)
    nik = make_nik(kecamatan_code=KEC_A, birth_date=BORN, sex="P", serial=77)
    response = patch(
        api_as(operator),
        f"/api/v1/persons/{person.pk}",
        {"nik": nik, "name": "Siti  Aminah Lestari", "reason": "KTP diperlihatkan"},
    )
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert (person.nik, person.name) == (nik, "Siti Aminah Lestari")
    entry = AuditEntry.objects.get(action="registry.person.corrected", object_id=str(person.pk))
    assert (
        entry.data["reason"] == "KTP diperlihatkan"
        and entry.changes["nik"][0] is None
        and entry.changes["nik"][1].endswith("0077")
    )


def test_a_nik_that_disagrees_with_the_birth_date_or_is_taken_is_refused_and_nothing_saved(api_as, city, operator):
    person = person_in(KEL_A, name="Budi", sex="L", birth_date=BORN, nik=None)
    other = person_in(KEL_A)
    client = api_as(operator)
    wrong = make_nik(kecamatan_code=KEC_A, birth_date=date(1990, 1, 1), sex="L", serial=5)
    for payload in ({"nik": wrong, "reason": "r"}, {"nik": other.nik, "reason": "r"}, {"nik": "12", "reason": "r"}):
        response = patch(client, f"/api/v1/persons/{person.pk}", payload)
        assert response.status_code == 400 and response.json()["errors"], payload
    assert patch(client, f"/api/v1/persons/{person.pk}", {"name": "Budi S"}).json()["errors"]["reason"]
    assert patch(client, f"/api/v1/persons/{person.pk}", {"religion": "x", "reason": "r"}).status_code == 400
    future = {"birth_date": "2999-01-01", "reason": "r"}
    assert patch(client, f"/api/v1/persons/{person.pk}", future).status_code == 400
    person.refresh_from_db()
    assert (person.nik, person.name) == (None, "Budi")


def test_person_patch_out_of_area_is_404_and_without_permission_403(api_as, city, tksk_a, psm_a):
    here, there = person_in(KEL_A), person_in(KEL_B)
    assert patch(api_as(tksk_a), f"/api/v1/persons/{there.pk}", {"name": "X", "reason": "r"}).status_code == 404
    assert patch(api_as(psm_a), f"/api/v1/persons/{here.pk}", {"name": "X", "reason": "r"}).status_code == 403
    assert patch(api_as(tksk_a), f"/api/v1/persons/{here.pk}", {"name": "X Y", "reason": "r"}).status_code == 200


def test_household_kk_change_keeps_the_history(api_as, city, operator):
    household = household_in(KEL_A, actor=operator)
    old, new = household.kk_number, next_kk()
    response = patch(api_as(operator), f"/api/v1/households/{household.pk}", {"kk_number": new, "reason": "pisah KK"})
    assert response.status_code == 200 and response.json()["kk_number"] == new
    assert list(HouseholdKk.objects.filter(household=household).values_list("kk_number", flat=True)) == [new, old]
    refused = patch(api_as(operator), f"/api/v1/households/{household.pk}", {"kk_number": "123", "reason": "x"})
    assert refused.status_code == 400
    assert patch(api_as(operator), f"/api/v1/households/{household.pk}", {"kk_number": next_kk()}).status_code == 400


def test_member_moves_between_households_and_the_old_membership_is_kept(api_as, city, operator):
    origin, target = household_in(KEL_A, actor=operator, size=3), household_in(KEL_A, actor=operator)
    child = HouseholdMember.objects.filter(household=origin).exclude(person=origin.head).first().person
    payload = {"add_member": {"person": child.pk, "relationship": "famili"}, "reason": "ikut paman"}
    response = patch(api_as(operator), f"/api/v1/households/{target.pk}", payload)
    assert response.status_code == 200
    assert {"person": child.pk, "relationship": "famili"} in response.json()["members"]
    assert HouseholdMember.objects.get(household=origin, person=child).until is not None
    head_move = {"add_member": {"person": origin.head_id, "relationship": "famili"}, "reason": "x"}
    assert patch(api_as(operator), f"/api/v1/households/{target.pk}", head_move).status_code == 400
    bad = {"add_member": {"person": child.pk, "relationship": "raja"}, "reason": "x"}
    assert patch(api_as(operator), f"/api/v1/households/{origin.pk}", bad).status_code == 400


def test_household_patch_out_of_area_is_404_and_without_permission_403(api_as, city, operator, tksk_a, psm_a):
    there, here = household_in(KEL_B, actor=operator), household_in(KEL_A, actor=operator)
    assert (
        patch(api_as(tksk_a), f"/api/v1/households/{there.pk}", {"kk_number": next_kk(), "reason": "r"}).status_code
        == 404
    )
    assert (
        patch(api_as(psm_a), f"/api/v1/households/{here.pk}", {"kk_number": next_kk(), "reason": "r"}).status_code
        == 403
    )
