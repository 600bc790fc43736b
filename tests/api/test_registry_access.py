"""Each role × in-area/out-of-area on /api/v1 persons, households and ppks, and on every workflow action.

"A" is kelurahan 36.71.01.1001 (Kecamatan Tangerang), "B" is 36.71.03.1001 (Kecamatan Batuceper).
Outside the user's area the API answers 404, exactly as for a missing id; inside it without the
permission, 403.
"""

from datetime import date

import pytest

from pilar.identity.nik import make_nik
from pilar.registry import services
from tests.conftest import KEC_A, KEL_A, KEL_B
from tests.registry.makers import household_in, next_kk, person_in, propose

JSON = "application/json"
PERSONAS = ["admin_user", "operator", "pimpinan", "tksk_a", "psm_a", "psm_b", "opd_user"]


def post(client, url, payload=None):
    return client.post(url, payload or {}, content_type=JSON)


@pytest.fixture
def reporter(city):
    # Records are proposed by someone who is none of the personas, so that no persona meets the own-proposal rule.
    from pilar.accounts.models import Role
    from tests.factories import user_with_role

    return user_with_role("operator.lain", Role.OPERATOR)


# persona: (list, detail in A, detail in B, propose in A, verify in A)
PPKS_MATRIX = {
    "admin_user": (200, 200, 200, 201, 200),
    "operator": (200, 200, 200, 201, 200),
    "pimpinan": (200, 200, 200, 403, 403),
    "tksk_a": (200, 200, 404, 201, 200),
    "psm_a": (200, 200, 404, 201, 403),
    "psm_b": (200, 404, 200, 400, 404),
    "opd_user": (403, 404, 404, 403, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_ppks_endpoints_answer_by_role_and_area(api_as, request, persona, reporter):
    in_a = propose(reporter, kelurahan_code=KEL_A)
    in_b = propose(reporter, kelurahan_code=KEL_B, person=person_in(KEL_B))
    client = api_as(request.getfixturevalue(persona))
    proposal = {"category": "PPKS-12", "person": person_in(KEL_A).pk, "kelurahan": KEL_A}
    got = (
        client.get("/api/v1/ppks/").status_code,
        client.get(f"/api/v1/ppks/{in_a.pk}").status_code,
        client.get(f"/api/v1/ppks/{in_b.pk}").status_code,
        post(client, "/api/v1/ppks/", proposal).status_code,
        post(client, f"/api/v1/ppks/{in_a.pk}/verify", {"result": "ditemukan"}).status_code,
    )
    assert got == PPKS_MATRIX[persona]


# persona: (list, detail in A, detail in B, create in A)
PERSON_MATRIX = {
    "admin_user": (200, 200, 200, 201),
    "operator": (200, 200, 200, 201),
    "pimpinan": (200, 200, 200, 403),
    "tksk_a": (200, 200, 404, 201),
    "psm_a": (200, 200, 404, 201),
    "psm_b": (200, 404, 200, 400),
    "opd_user": (403, 404, 404, 403),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_endpoints_answer_by_role_and_area(api_as, request, persona, city):
    in_a, in_b = person_in(KEL_A), person_in(KEL_B)
    client = api_as(request.getfixturevalue(persona))
    born = date(1970, 2, 9)
    payload = {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=born, sex="L", serial=901),
        "name": "Slamet Riyadi",
        "sex": "L",
        "birth_date": born.isoformat(),
        "village": KEL_A,
    }
    got = (
        client.get("/api/v1/persons/").status_code,
        client.get(f"/api/v1/persons/{in_a.pk}").status_code,
        client.get(f"/api/v1/persons/{in_b.pk}").status_code,
        post(client, "/api/v1/persons/", payload).status_code,
    )
    assert got == PERSON_MATRIX[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_household_endpoints_answer_by_role_and_area(api_as, request, persona, city):
    in_a, in_b = household_in(KEL_A), household_in(KEL_B)
    client = api_as(request.getfixturevalue(persona))
    payload = {
        "kk_number": next_kk(),
        "kelurahan": KEL_A,
        "members": [{"person": person_in(KEL_A).pk, "relationship": "kepala"}],
    }
    got = (
        client.get("/api/v1/households/").status_code,
        client.get(f"/api/v1/households/{in_a.pk}").status_code,
        client.get(f"/api/v1/households/{in_b.pk}").status_code,
        post(client, "/api/v1/households/", payload).status_code,
    )
    assert got == PERSON_MATRIX[persona]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/categories/",
        "/api/v1/persons/",
        "/api/v1/persons/1",
        "/api/v1/households/",
        "/api/v1/ppks/",
        "/api/v1/ppks/1",
    ],
)
def test_every_registry_endpoint_needs_a_token(api_as, url, city):
    assert api_as(None).get(url).status_code == 401


@pytest.mark.parametrize("action", ["verify", "validate", "return", "resubmit", "reject", "exit"])
def test_every_action_needs_a_token_and_answers_404_outside_the_area(api_as, psm_b, reporter, action):
    record = propose(reporter, kelurahan_code=KEL_A)
    assert api_as(None).post(f"/api/v1/ppks/{record.pk}/{action}", {}, content_type=JSON).status_code == 401
    outside = post(api_as(psm_b), f"/api/v1/ppks/{record.pk}/{action}", {"reason": "x", "note": "x"})
    missing = post(api_as(psm_b), f"/api/v1/ppks/999999/{action}", {"reason": "x", "note": "x"})
    assert outside.status_code == 404 and outside.json() == missing.json()


def test_out_of_area_record_answers_exactly_like_a_missing_one(api_as, psm_b, reporter):
    record = propose(reporter, kelurahan_code=KEL_A)
    client = api_as(psm_b)
    assert client.get(f"/api/v1/ppks/{record.pk}").json() == client.get("/api/v1/ppks/999999").json()


@pytest.mark.parametrize(
    ("persona", "action", "payload"),
    [
        ("psm_a", "verify", {"result": "ditemukan"}),
        ("psm_a", "return", {"reason": "Periksa"}),
        ("psm_a", "reject", {"reason": "Tidak layak"}),
        ("psm_a", "exit", {"on": "2026-01-01", "reason": "graduasi"}),
        ("tksk_a", "validate", {}),
        ("pimpinan", "verify", {"result": "ditemukan"}),
        ("pimpinan", "resubmit", {"note": "Diperbaiki"}),
        ("pimpinan", "reject", {"reason": "Tidak layak"}),
    ],
)
def test_actions_without_the_permission_are_403_and_change_nothing(api_as, request, reporter, persona, action, payload):
    record = propose(reporter, kelurahan_code=KEL_A)
    answer = post(api_as(request.getfixturevalue(persona)), f"/api/v1/ppks/{record.pk}/{action}", payload)
    assert answer.status_code == 403
    record.refresh_from_db()
    assert record.status == "diusulkan" and record.events.count() == 1


def test_tksk_may_return_and_reject_but_not_validate(api_as, tksk_a, reporter):
    first, second = propose(reporter), propose(reporter)
    client = api_as(tksk_a)
    assert post(client, f"/api/v1/ppks/{first.pk}/return", {"reason": "Foto kurang jelas"}).status_code == 200
    assert post(client, f"/api/v1/ppks/{second.pk}/reject", {"reason": "Bukan warga"}).status_code == 200
    services.ppks_resubmit(record=first, actor=reporter, note="Foto diganti")
    services.ppks_verify(record=first, actor=tksk_a, result="ditemukan")
    assert post(client, f"/api/v1/ppks/{first.pk}/validate").status_code == 403


def test_psm_resubmits_what_was_returned_to_it(api_as, psm_a, tksk_a):
    record = propose(psm_a)
    services.ppks_return(record=record, actor=tksk_a, reason="RT salah")
    answer = post(api_as(psm_a), f"/api/v1/ppks/{record.pk}/resubmit", {"note": "RT dibetulkan", "rt": "7"})
    assert answer.status_code == 200 and answer.json()["rt"] == "007"


def test_expired_role_assignment_gives_no_access(api_as, psm_a, reporter):
    record = propose(reporter)
    psm_a.role_assignments.update(valid_until=date(2021, 1, 1))
    client = api_as(psm_a)
    assert client.get("/api/v1/ppks/").status_code == 403
    assert client.get(f"/api/v1/ppks/{record.pk}").status_code == 404
