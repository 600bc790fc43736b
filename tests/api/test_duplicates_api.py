"""/api/v1/duplicates: list with its status filter, merge and dismiss, scope (404), permission (403), bad input."""

from datetime import date

import pytest

from pilar.registry.dedup import services
from pilar.registry.models import DuplicateCandidate, PpksRecord
from tests.conftest import KEL_A, KEL_B
from tests.registry.makers import person_in, propose

JSON = "application/json"
BORN = date(1980, 3, 5)


@pytest.fixture
def pair(city):
    a = person_in(KEL_A, name="Muhammad Rizki Pratama", sex="L", birth_date=BORN)
    b = person_in(KEL_A, name="Moh. Rizki Pratama", sex="L", birth_date=BORN, nik=None)
    services.duplicates_scan(actor=None)
    return DuplicateCandidate.objects.get(), a, b


def test_duplicates_need_a_token(api_as, pair):
    assert api_as(None).get("/api/v1/duplicates/").status_code == 401


def test_operator_lists_candidates_with_their_fields_and_filters_by_status(api_as, pair, operator):
    candidate, a, b = pair
    client = api_as(operator)
    body = client.get("/api/v1/duplicates/?status=terbuka").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert (item["id"], item["person_a"], item["person_b"], item["status"]) == (candidate.pk, a.pk, b.pk, "terbuka")
    assert item["score"] >= 0.75 and item["reasons"] and item["kelurahan"] == KEL_A
    assert client.get("/api/v1/duplicates/?status=digabung").json()["count"] == 0
    assert client.get("/api/v1/duplicates/?status=salah").status_code == 400


def test_merge_by_api_keeps_the_chosen_person_and_closes_the_second_open_record(api_as, pair, operator, psm_a):
    candidate, a, b = pair
    older, newer = propose(psm_a, person=a), propose(psm_a, person=b)
    response = api_as(operator).post(f"/api/v1/duplicates/{candidate.pk}/merge", {"keep": a.pk}, content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "digabung"
    assert list(PpksRecord.objects.open().filter(person=a)) == [older]
    assert PpksRecord.objects.get(pk=newer.pk).duplicate_of_id == older.pk
    again = api_as(operator).post(f"/api/v1/duplicates/{candidate.pk}/merge", {"keep": a.pk}, content_type=JSON)
    assert again.status_code == 409


@pytest.mark.parametrize("payload", [{}, {"keep": "x"}, {"keep": 999999}])
def test_merge_refuses_a_keep_outside_the_pair(api_as, pair, operator, payload):
    candidate, _a, _b = pair
    response = api_as(operator).post(f"/api/v1/duplicates/{candidate.pk}/merge", payload, content_type=JSON)
    assert response.status_code == 400
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == "terbuka"


def test_dismiss_marks_the_pair_not_a_duplicate(api_as, pair, operator):
    candidate, _a, _b = pair
    response = api_as(operator).post(f"/api/v1/duplicates/{candidate.pk}/dismiss")
    assert response.status_code == 200 and response.json()["status"] == "bukan_duplikat"
    assert api_as(operator).post(f"/api/v1/duplicates/{candidate.pk}/dismiss").status_code == 409


def test_roles_without_dedup_review_get_403_and_pairs_outside_the_area_404(api_as, pair, psm_a, tksk_a, city):
    candidate, _a, _b = pair
    assert api_as(psm_a).get("/api/v1/duplicates/").status_code == 403
    assert api_as(tksk_a).post(f"/api/v1/duplicates/{candidate.pk}/dismiss").status_code == 403
    x = person_in(KEL_B, name="Dewi Lestari", sex="P", birth_date=BORN)
    person_in(KEL_B, name="Dewi Lestari", sex="P", birth_date=BORN, nik=None)
    services.duplicates_scan(actor=None, person_ids=[x.pk])
    elsewhere = DuplicateCandidate.objects.get(kelurahan__code=KEL_B)
    assert api_as(tksk_a).get(f"/api/v1/duplicates/{elsewhere.pk}").status_code == 404
    assert (
        api_as(tksk_a).post(f"/api/v1/duplicates/{elsewhere.pk}/merge", {"keep": x.pk}, content_type=JSON).status_code
        == 404
    )
