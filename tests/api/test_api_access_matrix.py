"""Each role × in-area/out-of-area × list/detail/create/update on /api/v1/workers.

In-area is a PSM of kelurahan A (36.71.01.1001); out-of-area a PSM of kelurahan B in
another kecamatan. Outside the user's area the API answers 404, exactly as for a missing id.
"""

import pytest

from tests.api.test_workers_api import new_psm_payload
from tests.conftest import KEL_A, KEL_B
from tests.factories import WorkerFactory, region

# persona: (list, detail in, detail out, create, update in, update out)
MATRIX = {
    "admin_user": (200, 200, 200, 201, 200, 200),
    "operator": (200, 200, 200, 201, 200, 200),
    "pimpinan": (200, 200, 200, 403, 403, 403),
    "tksk_a": (200, 200, 404, 403, 403, 404),
    "psm_a": (200, 200, 404, 403, 403, 404),
    "opd_user": (403, 404, 404, 403, 404, 404),
}


@pytest.fixture
def workers(city):
    return WorkerFactory(region=region(KEL_A)), WorkerFactory(region=region(KEL_B))


@pytest.mark.parametrize("persona", MATRIX)
def test_worker_endpoints_answer_by_role_and_area(api_as, request, persona, workers):
    inside, outside = workers
    client = api_as(request.getfixturevalue(persona))
    expected = MATRIX[persona]
    patch = {"phone": "081234560000"}
    got = (
        client.get("/api/v1/workers/").status_code,
        client.get(f"/api/v1/workers/{inside.pk}").status_code,
        client.get(f"/api/v1/workers/{outside.pk}").status_code,
        client.post("/api/v1/workers/", new_psm_payload(), content_type="application/json").status_code,
        client.patch(f"/api/v1/workers/{inside.pk}", patch, content_type="application/json").status_code,
        client.patch(f"/api/v1/workers/{outside.pk}", patch, content_type="application/json").status_code,
    )
    assert got == expected


@pytest.mark.parametrize("persona", ["tksk_a", "psm_a"])
def test_out_of_area_answer_is_the_same_as_for_a_missing_worker(api_as, request, persona, workers):
    _, outside = workers
    client = api_as(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/workers/{outside.pk}").json() == client.get("/api/v1/workers/999999").json()


def test_psm_lists_only_workers_of_its_kelurahan(api_as, psm_a, workers):
    codes = {item["kelurahan"] for item in api_as(psm_a).get("/api/v1/workers/?limit=100").json()["results"]}
    assert codes == {KEL_A}


def test_tksk_lists_its_whole_kecamatan_only(api_as, tksk_a, workers):
    WorkerFactory(region=region("36.71.01.1002"))
    codes = {item["kecamatan"] for item in api_as(tksk_a).get("/api/v1/workers/?limit=100").json()["results"]}
    assert codes == {"36.71.01"}


def test_expired_role_assignment_gives_no_access(api_as, psm_a, workers):
    from datetime import date

    psm_a.role_assignments.update(valid_until=date(2021, 1, 1))
    assert api_as(psm_a).get("/api/v1/workers/").status_code == 403
