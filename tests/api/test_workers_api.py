"""/api/v1/workers: shape, filters, validation messages, masking and the access log."""

import pytest

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.identity.models import Person
from pilar.workers.models import Worker, WorkerRole
from tests.conftest import KEC_A, KEL_A, KEL_A2, KEL_B
from tests.factories import WorkerFactory, new_psm_data, region

new_psm_payload = new_psm_data


def test_operator_creates_a_psm_and_reads_it_back(api_as, operator):
    answer = api_as(operator).post("/api/v1/workers/", new_psm_payload(), content_type="application/json")
    assert answer.status_code == 201, answer.content
    item = answer.json()
    assert item["role"] == "psm" and item["status"] == "aktif"
    assert item["kelurahan"] == KEL_A and item["kecamatan"] == KEC_A
    assert item["phone"] == "+6281211112222"
    assert len(item["nik"]) == 16 and "*" not in item["nik"]
    assert AuditEntry.objects.filter(action="workers.worker.created").count() == 1


def test_invalid_input_answers_400_with_indonesian_field_errors_and_saves_nothing(api_as, operator):
    payload = new_psm_payload(nik="12345", phone="abc", kelurahan="99.99.99.9999")
    answer = api_as(operator).post("/api/v1/workers/", payload, content_type="application/json")
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "16 digit" in errors["nik"][0]
    assert "Nomor telepon tidak valid" in errors["phone"][0]
    assert "tidak dikenal" in errors["kelurahan"][0]
    assert not Person.objects.exists()


def test_nik_birth_date_mismatch_is_a_400_on_the_birth_date(api_as, operator):
    payload = new_psm_payload(birth_date="1990-01-01")
    answer = api_as(operator).post("/api/v1/workers/", payload, content_type="application/json")
    assert answer.status_code == 400
    assert "Tanggal lahir tidak sesuai dengan NIK" in answer.json()["errors"]["birth_date"][0]


def test_second_active_tksk_is_refused_on_the_kecamatan_field(api_as, operator):
    WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A))
    payload = new_psm_payload(role="tksk", kelurahan="", village="")
    answer = api_as(operator).post("/api/v1/workers/", payload, content_type="application/json")
    assert answer.status_code == 400
    assert "sudah memiliki TKSK aktif" in answer.json()["errors"]["kecamatan"][0]


def test_address_warning_is_400_until_confirmed(api_as, operator):
    payload = new_psm_payload(village=KEL_A2)
    client = api_as(operator)
    first = client.post("/api/v1/workers/", payload, content_type="application/json")
    assert first.status_code == 400 and "confirm_address" in first.json()["errors"]
    second = client.post("/api/v1/workers/", payload | {"confirm_address": True}, content_type="application/json")
    assert second.status_code == 201


def test_list_filters_by_role_kecamatan_kelurahan_and_status(api_as, operator):
    WorkerFactory(region=region(KEL_A))
    WorkerFactory(region=region(KEL_B), status="nonaktif")
    WorkerFactory(role=WorkerRole.TKSK, region=region(KEC_A))
    client = api_as(operator)

    def count(query):
        return client.get(f"/api/v1/workers/?{query}").json()["count"]

    assert count("") == 3
    assert count("role=psm") == 2
    assert count("role=tksk") == 1
    assert count(f"kecamatan={KEC_A}") == 2
    assert count(f"kelurahan={KEL_B}") == 1
    assert count("status=aktif") == 2


def test_list_pages_with_limit_and_offset(api_as, operator):
    WorkerFactory.create_batch(7, region=region(KEL_A))
    page = api_as(operator).get("/api/v1/workers/?limit=5&offset=5").json()
    assert page["count"] == 7 and len(page["results"]) == 2


def test_list_has_no_n_plus_one(api_as, operator, django_assert_max_num_queries):
    WorkerFactory.create_batch(30, region=region(KEL_A))
    client = api_as(operator)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/workers/?limit=30").json()["results"]) == 30


@pytest.mark.parametrize("persona", ["pimpinan", "tksk_a", "psm_a"])
def test_nik_and_bank_account_are_masked_for_roles_that_do_not_need_them(api_as, persona, request, city):
    worker = WorkerFactory(region=region(KEL_A))
    item = api_as(request.getfixturevalue(persona)).get(f"/api/v1/workers/{worker.pk}").json()
    assert item["nik"] == worker.person.nik[:4] + "********" + worker.person.nik[-4:]
    assert item["birth_date"] is None and item["address"] is None
    assert item["account_number"].endswith(worker.account_number[-4:]) and "*" in item["account_number"]


def test_every_read_of_a_worker_is_in_the_access_log(api_as, operator):
    worker = WorkerFactory(region=region(KEL_A))
    client = api_as(operator)
    client.get(f"/api/v1/workers/{worker.pk}")
    client.get("/api/v1/workers/")
    detail, listing = PersonalDataAccess.objects.order_by("id")
    assert detail.object_id == str(worker.pk) and detail.unmasked and detail.channel == "api"
    assert listing.object_id == "" and listing.subject_count == 1


def test_patch_changes_only_the_fields_sent(api_as, operator):
    worker = WorkerFactory(region=region(KEL_A))
    answer = api_as(operator).patch(
        f"/api/v1/workers/{worker.pk}", {"phone": "081399998888"}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    worker.refresh_from_db()
    worker.person.refresh_from_db()
    assert worker.person.phone == "+6281399998888"
    entry = AuditEntry.objects.get(action="workers.worker.updated")
    assert set(entry.changes) == {"phone"}


def test_patch_refuses_fields_it_cannot_change(api_as, operator):
    worker = WorkerFactory(region=region(KEL_A))
    answer = api_as(operator).patch(
        f"/api/v1/workers/{worker.pk}", {"role": "tksk", "status": "berhenti"}, content_type="application/json"
    )
    assert answer.status_code == 400 and "role" in answer.json()["errors"]
    assert Worker.objects.get(pk=worker.pk).status == "aktif"  # nothing of the call was saved


def test_regions_list_kelurahan_of_a_kecamatan(api_as, psm_a):
    page = api_as(psm_a).get(f"/api/v1/regions/?level=kelurahan&parent={KEC_A}&limit=100").json()
    assert page["count"] == 8
    first = page["results"][0]
    assert first == {"code": "36.71.01.1001", "name": "Sukarasa", "level": "kelurahan", "parent": KEC_A}
