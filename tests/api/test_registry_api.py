"""/api/v1 categories, persons, households and ppks: shape, filters, masking, validation and the workflow."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilar.audit.models import PersonalDataAccess
from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.registry.models import Household, PpksRecord
from tests.conftest import KEC_A, KEC_B, KEL_A, KEL_A2, KEL_B
from tests.registry.makers import POOR_FAMILY, household_in, next_kk, person_in, propose

JSON = "application/json"


def post(client, url, payload=None):
    return client.post(url, payload or {}, content_type=JSON)


def person_payload(**overrides):
    born = date(1990, 5, 3)
    return {
        "nik": make_nik(kecamatan_code=KEC_A, birth_date=born, sex="P", serial=88),
        "name": "  Sri   Wahyuni ",
        "sex": "P",
        "birth_date": born.isoformat(),
        "village": KEL_A,
        "rt": "3",
        "rw": "12",
        "phone": "0812 3456 7890",
    } | overrides


# --- categories ---------------------------------------------------------------------------------


def test_categories_are_26_ppks_and_12_psks(api_as, psm_a):
    client = api_as(psm_a)
    ppks = client.get("/api/v1/categories/?kind=ppks&limit=500").json()
    psks = client.get("/api/v1/categories/?kind=psks").json()
    assert ppks["count"] == 26 and len(ppks["results"]) == 26
    assert psks["count"] == 12
    first = ppks["results"][0]
    assert set(first) == {"code", "name", "number", "kind", "subject", "definition"}
    assert (first["code"], first["number"], first["kind"]) == ("PPKS-01", 1, "ppks")
    rtlh = client.get("/api/v1/categories/?kind=rtlh").json()["results"]
    assert [(c["code"], c["subject"]) for c in rtlh] == [("RTLH", "family")]
    assert client.get("/api/v1/categories/").json()["count"] == 39


def test_unknown_category_kind_is_a_400(api_as, psm_a):
    assert api_as(psm_a).get("/api/v1/categories/?kind=lainnya").status_code == 400


# --- persons ------------------------------------------------------------------------------------


def test_operator_registers_a_person_with_normalised_input(api_as, operator):
    answer = post(api_as(operator), "/api/v1/persons/", person_payload())
    assert answer.status_code == 201, answer.content
    item = answer.json()
    assert item["name"] == "Sri Wahyuni" and item["village"] == KEL_A
    assert len(item["nik"]) == 16 and "*" not in item["nik"] and item["needs_dukcapil"] is False
    person = Person.objects.get(pk=item["id"])
    assert (person.rt, person.rw, person.phone) == ("003", "012", "+6281234567890")


def test_psm_registers_a_person_without_nik_flagged_for_dukcapil(api_as, psm_a):
    answer = post(api_as(psm_a), "/api/v1/persons/", person_payload(nik="", birth_date=""))
    assert answer.status_code == 201, answer.content
    item = answer.json()
    assert item["nik"] is None and item["needs_dukcapil"] is True and item["dukcapil_status"] == "belum"
    # The PSM finds the person again (its own kelurahan), ready to propose them.
    assert api_as(psm_a).get(f"/api/v1/persons/{item['id']}").status_code == 200


def test_bad_person_input_is_400_in_indonesian_and_nothing_is_saved(api_as, operator):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    payload = person_payload(nik="12345", phone="abc", village="99.99.99.9999", birth_date=tomorrow, rt="12a")
    answer = post(api_as(operator), "/api/v1/persons/", payload)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "16 digit" in errors["nik"][0]
    assert "Nomor telepon tidak valid" in errors["phone"][0]
    assert "tidak dikenal" in errors["village"][0]
    assert "masa depan" in errors["birth_date"][0]
    assert "RT berupa angka" in errors["rt"][0]
    assert not Person.objects.filter(name__icontains="Wahyuni").exists()


def test_nik_birth_date_mismatch_is_a_400_on_the_birth_date(api_as, operator):
    answer = post(api_as(operator), "/api/v1/persons/", person_payload(birth_date="1991-05-03"))
    assert answer.status_code == 400
    assert "Tanggal lahir tidak sesuai dengan NIK" in answer.json()["errors"]["birth_date"][0]


def test_psm_cannot_register_a_person_of_another_kelurahan(api_as, psm_a):
    payload = person_payload(village=KEL_B)
    before = Person.objects.count()
    answer = post(api_as(psm_a), "/api/v1/persons/", payload)
    assert answer.status_code == 400
    assert "di luar wilayah tugas Anda" in answer.json()["errors"]["village"][0]
    # Counted, not looked up by name: the PSM's own person may share the surname (random test data).
    assert Person.objects.count() == before and not Person.objects.filter(nik=payload["nik"]).exists()


def test_person_search_by_name_and_by_nik(api_as, operator, city):
    wanted = person_in(name="Ahmad Fauzi")
    person_in(name="Dewi Lestari")
    client = api_as(operator)
    by_name = client.get("/api/v1/persons/?q=fauzi").json()
    by_nik = client.get(f"/api/v1/persons/?q={wanted.nik}").json()
    assert [p["id"] for p in by_name["results"]] == [wanted.pk]
    assert [p["id"] for p in by_nik["results"]] == [wanted.pk]


@pytest.mark.parametrize("persona", ["psm_a", "pimpinan"])
def test_persons_are_masked_for_psm_and_pimpinan(api_as, request, persona, city):
    person = person_in(KEL_A)
    item = api_as(request.getfixturevalue(persona)).get(f"/api/v1/persons/{person.pk}").json()
    assert item["nik"] == person.nik[:4] + "********" + person.nik[-4:]
    assert item["birth_date"] is None


def test_tksk_sees_persons_whole_and_the_access_is_logged(api_as, tksk_a):
    person = person_in(KEL_A2)
    item = api_as(tksk_a).get(f"/api/v1/persons/{person.pk}").json()
    assert item["nik"] == person.nik and item["birth_date"] == person.birth_date.isoformat()
    log = PersonalDataAccess.objects.get(user=tksk_a)
    assert log.object_id == str(person.pk) and log.unmasked is True


# --- households ---------------------------------------------------------------------------------


def household_payload(*members, **overrides):
    return {
        "kk_number": next_kk(),
        "kelurahan": KEL_A,
        "address": "Jl. Mawar 2",
        "rt": "1",
        "rw": "2",
        "members": [{"person": p.pk, "relationship": rel} for p, rel in members],
    } | overrides


def test_psm_registers_a_household_of_its_kelurahan(api_as, psm_a):
    head, child = person_in(KEL_A), person_in(KEL_A)
    payload = household_payload((head, "kepala"), (child, "anak"))
    answer = post(api_as(psm_a), "/api/v1/households/", payload)
    assert answer.status_code == 201, answer.content
    item = answer.json()
    assert item["head"] == head.pk and (item["kelurahan"], item["kecamatan"]) == (KEL_A, KEC_A)
    assert item["members"] == [
        {"person": head.pk, "relationship": "kepala"},
        {"person": child.pk, "relationship": "anak"},
    ]
    assert item["kk_number"] == payload["kk_number"][:4] + "********" + payload["kk_number"][-4:]
    assert (item["rt"], item["rw"]) == ("001", "002")


def test_household_with_two_heads_is_400_and_nothing_is_saved(api_as, operator, city):
    payload = household_payload((person_in(), "kepala"), (person_in(), "kepala"))
    answer = post(api_as(operator), "/api/v1/households/", payload)
    assert answer.status_code == 400
    assert "tepat satu kepala keluarga" in answer.json()["errors"]["members"][0]
    assert not Household.objects.exists()


def test_household_bad_input_is_400_per_field(api_as, operator, city):
    payload = household_payload(
        kk_number="123", kelurahan="36.71.99.9999", members=[{"person": 1, "relationship": "x"}]
    )
    answer = post(api_as(operator), "/api/v1/households/", payload)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "16 digit" in errors["kk_number"][0]
    assert "tidak dikenal" in errors["kelurahan"][0]
    assert "SHDK" in errors["members"][0]


def test_household_outside_the_psm_kelurahan_is_refused_on_the_kelurahan(api_as, psm_a):
    payload = household_payload((person_in(KEL_A), "kepala"), kelurahan=KEL_A2)
    answer = post(api_as(psm_a), "/api/v1/households/", payload)
    assert answer.status_code == 400
    assert "di luar wilayah tugas Anda" in answer.json()["errors"]["kelurahan"][0]


def test_household_members_must_be_visible_to_the_user(api_as, psm_a):
    stranger = person_in(KEL_B)
    answer = post(api_as(psm_a), "/api/v1/households/", household_payload((stranger, "kepala")))
    assert answer.status_code == 400
    assert "Orang tidak ditemukan" in answer.json()["errors"]["members"][0]


def test_household_list_and_detail_mask_the_kk_for_pimpinan_but_not_operator(api_as, pimpinan, operator):
    household = household_in(KEL_A)
    masked = api_as(pimpinan).get(f"/api/v1/households/{household.pk}").json()
    whole = api_as(operator).get("/api/v1/households/").json()
    assert "*" in masked["kk_number"]
    assert whole["count"] == 1 and whole["results"][0]["kk_number"] == household.kk_number
    assert len(whole["results"][0]["members"]) == 2


def test_household_list_filters_by_area(api_as, operator, city):
    household_in(KEL_A), household_in(KEL_B)
    client = api_as(operator)
    assert client.get(f"/api/v1/households/?kecamatan={KEC_B}").json()["count"] == 1
    assert client.get(f"/api/v1/households/?kelurahan={KEL_A}").json()["results"][0]["kelurahan"] == KEL_A


# --- ppks: the acceptance flow ------------------------------------------------------------------


def test_acceptance_flow_psm_proposes_tksk_verifies_operator_validates(api_as, psm_a, psm_b, tksk_a, operator):
    person = person_in(KEL_A)
    proposal = {
        "category": "PPKS-11",
        "person": person.pk,
        "kelurahan": KEL_A,
        "rt": "2",
        "rw": "5",
        "address": "Kolong jembatan Jl. Perintis",
        "latitude": "-6.178306",
        "longitude": "106.631889",
        "notes": "Tidur di emperan toko",
    }
    created = post(api_as(psm_a), "/api/v1/ppks/", proposal)
    assert created.status_code == 201, created.content
    record = created.json()
    assert (record["status"], record["source"], record["reported_by"]) == ("diusulkan", "psm", "psm.a")
    assert (record["kelurahan"], record["kecamatan"], record["rt"]) == (KEL_A, KEC_A, "002")
    pk = record["id"]

    # The PSM of B does not see it at all; the PSM of A may not verify; nobody validates before the field check.
    assert api_as(psm_b).get(f"/api/v1/ppks/{pk}").status_code == 404
    assert post(api_as(psm_b), f"/api/v1/ppks/{pk}/verify", {"result": "ditemukan"}).status_code == 404
    assert post(api_as(psm_a), f"/api/v1/ppks/{pk}/verify", {"result": "ditemukan"}).status_code == 403
    assert post(api_as(operator), f"/api/v1/ppks/{pk}/validate").status_code == 409

    verified = post(api_as(tksk_a), f"/api/v1/ppks/{pk}/verify", {"result": "ditemukan", "note": "Sesuai KTP"})
    assert verified.status_code == 200, verified.content
    assert verified.json()["status"] == "diverifikasi" and verified.json()["field_result"] == "ditemukan"

    validated = post(api_as(operator), f"/api/v1/ppks/{pk}/validate", {"note": "Masuk DTKS"})
    assert validated.status_code == 200, validated.content
    detail = validated.json()
    assert detail["status"] == "ditetapkan" and detail["validated_at"]
    assert [(e["action"], e["actor"]) for e in detail["events"]] == [
        ("proposed", "psm.a"),
        ("verified", "tksk.a"),
        ("validated", "operator"),
    ]
    verification = detail["events"][1]
    expected = {
        "from_status": "diusulkan",
        "to_status": "diverifikasi",
        "reason": "Sesuai KTP",
        "field_result": "ditemukan",
    }
    assert verification == verification | expected


def test_proposer_cannot_validate_their_own_proposal_even_as_operator(api_as, operator, admin_user, city):
    created = post(
        api_as(operator), "/api/v1/ppks/", {"category": "PPKS-12", "person": person_in().pk, "kelurahan": KEL_A}
    )
    assert created.status_code == 201 and created.json()["source"] == "operator"
    pk = created.json()["id"]
    assert post(api_as(operator), f"/api/v1/ppks/{pk}/verify", {"result": "ditemukan"}).status_code == 403
    assert post(api_as(admin_user), f"/api/v1/ppks/{pk}/verify", {"result": "ditemukan"}).status_code == 200
    refused = post(api_as(operator), f"/api/v1/ppks/{pk}/validate")
    assert refused.status_code == 403
    assert "usulan Anda sendiri" in refused.json()["detail"]
    assert PpksRecord.objects.get(pk=pk).status == "diverifikasi"


def test_wrong_status_is_a_409_with_the_message_on_status(api_as, tksk_a, operator, psm_a):
    record = propose(psm_a)
    answer = post(api_as(operator), f"/api/v1/ppks/{record.pk}/exit", {"on": "2026-01-05", "reason": "graduasi"})
    assert answer.status_code == 409
    assert "sudah ditetapkan" in answer.json()["errors"]["status"][0]


def test_return_needs_a_reason_then_the_psm_resubmits(api_as, tksk_a, psm_a):
    record = propose(psm_a, address="Jl. Lama")
    missing = post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/return", {"reason": ""})
    assert missing.status_code == 400 and "Alasan wajib diisi" in missing.json()["errors"]["reason"][0]
    returned = post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/return", {"reason": "Alamat kurang lengkap"})
    assert returned.json()["status"] == "perlu_perbaikan"
    no_note = post(api_as(psm_a), f"/api/v1/ppks/{record.pk}/resubmit", {"address": "Jl. Baru 3"})
    assert no_note.status_code == 400 and "note" in no_note.json()["errors"]
    fixed = post(
        api_as(psm_a), f"/api/v1/ppks/{record.pk}/resubmit", {"note": "Alamat dilengkapi", "address": "Jl. Baru 3"}
    )
    assert fixed.status_code == 200, fixed.content
    detail = fixed.json()
    # Only the fields sent change: RT/RW stay as proposed.
    assert (detail["status"], detail["address"], detail["rt"]) == ("diusulkan", "Jl. Baru 3", record.rt)


def test_reject_and_exit(api_as, tksk_a, operator, psm_a):
    rejected = propose(psm_a)
    answer = post(api_as(tksk_a), f"/api/v1/ppks/{rejected.pk}/reject", {"reason": "Bukan warga kota"})
    assert answer.status_code == 200 and answer.json()["status"] == "ditolak"

    record = propose(psm_a)
    post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/verify", {"result": "ditemukan"})
    post(api_as(operator), f"/api/v1/ppks/{record.pk}/validate")
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    bad = post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/exit", {"on": future, "reason": "pindah"})
    assert bad.status_code == 400 and "masa depan" in bad.json()["errors"]["on"][0]
    bad_reason = post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/exit", {"on": "2026-02-01", "reason": "bosan"})
    assert bad_reason.status_code == 400 and "reason" in bad_reason.json()["errors"]
    done = post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/exit", {"on": "2026-02-01", "reason": "pindah"})
    assert done.status_code == 200 and (done.json()["status"], done.json()["exit_reason"]) == ("keluar", "pindah")


def test_bad_verification_result_is_400_and_changes_nothing(api_as, tksk_a, psm_a):
    record = propose(psm_a)
    answer = post(api_as(tksk_a), f"/api/v1/ppks/{record.pk}/verify", {"result": "mungkin"})
    assert answer.status_code == 400 and "tidak dikenal" in answer.json()["errors"]["result"][0]
    assert PpksRecord.objects.get(pk=record.pk).status == "diusulkan"


# --- ppks: proposals ----------------------------------------------------------------------------


def test_bad_proposal_is_400_in_indonesian_and_nothing_is_saved(api_as, psm_a):
    payload = {"category": "PPKS-99", "kelurahan": KEL_A, "latitude": "200", "longitude": "x", "source": "impor"}
    answer = post(api_as(psm_a), "/api/v1/ppks/", payload)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "Kategori PPKS tidak dikenal" in errors["category"][0]
    assert "latitude" in errors and "longitude" in errors
    assert "tidak dapat dipilih" in errors["source"][0]
    assert not PpksRecord.objects.exists()


def test_proposal_without_a_subject_is_refused_on_person(api_as, psm_a):
    answer = post(api_as(psm_a), "/api/v1/ppks/", {"category": "PPKS-11", "kelurahan": KEL_A})
    assert answer.status_code == 400 and "Pilih orang atau keluarga" in answer.json()["errors"]["person"][0]


def test_family_category_without_household_is_refused_by_the_service(api_as, psm_a):
    payload = {"category": POOR_FAMILY, "person": person_in().pk, "kelurahan": KEL_A}
    answer = post(api_as(psm_a), "/api/v1/ppks/", payload)
    assert answer.status_code == 400 and "untuk keluarga" in answer.json()["errors"]["household"][0]
    assert not PpksRecord.objects.exists()


@pytest.mark.parametrize(("persona", "kelurahan"), [("psm_a", KEL_A2), ("psm_a", KEL_B), ("tksk_a", KEL_B)])
def test_proposal_outside_the_user_area_is_refused_on_the_kelurahan(api_as, request, persona, kelurahan, city):
    payload = {"category": "PPKS-11", "person": person_in(KEL_A).pk, "kelurahan": kelurahan}
    answer = post(api_as(request.getfixturevalue(persona)), "/api/v1/ppks/", payload)
    assert answer.status_code == 400
    assert "di luar wilayah tugas Anda" in answer.json()["errors"]["kelurahan"][0]
    assert not PpksRecord.objects.exists()


def test_tksk_proposes_anywhere_in_its_kecamatan(api_as, tksk_a):
    payload = {"category": "PPKS-11", "person": person_in(KEL_A2).pk, "kelurahan": KEL_A2}
    assert post(api_as(tksk_a), "/api/v1/ppks/", payload).status_code == 201


def test_proposing_an_unseen_person_is_refused(api_as, psm_a):
    payload = {"category": "PPKS-11", "person": person_in(KEL_B).pk, "kelurahan": KEL_A}
    answer = post(api_as(psm_a), "/api/v1/ppks/", payload)
    assert answer.status_code == 400 and "Orang tidak ditemukan" in answer.json()["errors"]["person"][0]


def test_second_proposal_of_the_same_person_is_flagged_as_duplicate(api_as, psm_a, tksk_a):
    first = propose(psm_a)
    payload = {"category": "PPKS-11", "person": first.person_id, "kelurahan": KEL_A}
    answer = post(api_as(tksk_a), "/api/v1/ppks/", payload)
    assert answer.status_code == 201 and answer.json()["duplicate_of"] == first.pk


def test_household_proposal_shows_the_head(api_as, operator, city):
    household = household_in(KEL_A)
    payload = {"category": POOR_FAMILY, "household": household.pk, "kelurahan": KEL_A}
    item = post(api_as(operator), "/api/v1/ppks/", payload).json()
    assert (item["household"], item["person"], item["name"]) == (household.pk, None, household.head.name)
    assert item["nik"] == household.head.nik


# --- ppks: lists --------------------------------------------------------------------------------


@pytest.fixture
def records(psm_a, tksk_a, city):
    """Three records in kecamatan A (two in kelurahan A, one in A2) and one in B."""
    a1 = propose(psm_a, person=person_in(KEL_A, name="Joko Susilo"))
    a2 = propose(psm_a, category="PPKS-12")
    a3 = propose(tksk_a, kelurahan_code=KEL_A2, person=person_in(KEL_A2))
    b1 = propose(None, kelurahan_code=KEL_B, person=person_in(KEL_B))
    from pilar.registry import services

    services.ppks_verify(record=a2, actor=tksk_a, result="ditemukan")
    return a1, a2, a3, b1


def ids(answer) -> set[int]:
    return {item["id"] for item in answer.json()["results"]}


def test_ppks_list_filters(api_as, operator, records):
    a1, a2, a3, b1 = records
    client = api_as(operator)
    assert ids(client.get(f"/api/v1/ppks/?kecamatan={KEC_A}")) == {a1.pk, a2.pk, a3.pk}
    assert ids(client.get(f"/api/v1/ppks/?kelurahan={KEL_A2}")) == {a3.pk}
    assert ids(client.get("/api/v1/ppks/?category=PPKS-12")) == {a2.pk}
    assert ids(client.get("/api/v1/ppks/?status=diverifikasi")) == {a2.pk}
    assert ids(client.get("/api/v1/ppks/?q=joko")) == {a1.pk}
    assert ids(client.get(f"/api/v1/ppks/?q={a1.person.nik}")) == {a1.pk}


def test_ppks_list_is_paginated_newest_first(api_as, operator, records):
    page = api_as(operator).get("/api/v1/ppks/?limit=2&offset=1").json()
    assert set(page) == {"count", "count_exact", "next", "previous", "results"} and page["count"] == 4
    assert page["count_exact"] is True and "cursor=" in page["next"] and "cursor=" in page["previous"]
    assert [item["id"] for item in page["results"]] == [records[2].pk, records[1].pk]


def test_ppks_list_is_scoped_and_masked_for_the_psm(api_as, psm_a, records):
    a1, a2, _a3, _b1 = records
    page = api_as(psm_a).get("/api/v1/ppks/").json()
    assert {item["id"] for item in page["results"]} == {a1.pk, a2.pk}
    item = next(i for i in page["results"] if i["id"] == a1.pk)
    assert item["nik"] == a1.person.nik[:4] + "********" + a1.person.nik[-4:]
    assert item["name"] == "Joko Susilo" and item["category_name"] == "Gelandangan"


def test_ppks_are_masked_for_pimpinan_and_whole_for_the_tksk(api_as, pimpinan, tksk_a, records):
    a1 = records[0]
    assert "*" in api_as(pimpinan).get(f"/api/v1/ppks/{a1.pk}").json()["nik"]
    assert api_as(tksk_a).get(f"/api/v1/ppks/{a1.pk}").json()["nik"] == a1.person.nik


def test_ppks_list_logs_the_page_shown(api_as, pimpinan, records):
    api_as(pimpinan).get("/api/v1/ppks/?limit=3")
    log = PersonalDataAccess.objects.get(user=pimpinan)
    assert log.subject_count == 3 and log.unmasked is False and log.channel == "api"


def test_ppks_list_runs_a_fixed_number_of_queries(api_as, operator, psm_a, records):
    client = api_as(operator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/ppks/?limit=100").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    household = household_in(KEL_A)
    propose(psm_a, household=household, category=POOR_FAMILY)
    for _ in range(6):
        propose(psm_a)
    assert queries() == few


def test_openapi_documents_the_registry_bodies_from_the_forms(client, city):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/ppks/{record_id}/verify", "/api/v1/households/", "/api/v1/categories/"} <= set(schema["paths"])
    body = schema["paths"]["/api/v1/households/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["members"]["type"] == "array"
    verify = schema["paths"]["/api/v1/ppks/{record_id}/verify"]["post"]["requestBody"]["content"]["application/json"]
    assert "ditemukan" in verify["schema"]["properties"]["result"]["enum"]
