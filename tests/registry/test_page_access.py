"""Each persona × in-area/out-of-area × every registry page: the status the page answers.

In-area records lie in kelurahan A (36.71.01.1001), out-of-area ones in kelurahan B of another
kecamatan. Outside the user's area a record answers 404, exactly like a missing one; a record the
user may see but not act on answers 403 (its existence is no secret to them). A step that succeeds
redirects (302) to the record.
"""

import pytest
from django.urls import reverse

from pilar.registry import services
from pilar.registry.models import PpksRecord
from tests.conftest import KEL_A, KEL_A2, KEL_B
from tests.registry.test_pages import make_record

PAGES = (
    "list",
    "detail_in",
    "detail_out",
    "propose",
    "verify_in",
    "verify_out",
    "validate_in",
    "validate_out",
    "person_in",
    "person_out",
)
# persona: expected status per page, in the order of PAGES
MATRIX = {
    "operator": (200, 200, 200, 200, 302, 302, 302, 302, 200, 200),
    "pimpinan": (200, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    "tksk_a": (200, 200, 404, 200, 302, 404, 403, 404, 200, 404),
    "psm_a": (200, 200, 404, 200, 403, 404, 403, 404, 200, 404),
    "psm_b": (200, 404, 200, 200, 404, 403, 404, 403, 404, 200),
    "opd_user": (403, 404, 404, 403, 404, 404, 404, 404, 404, 404),
}
CASES = [(persona, page, MATRIX[persona][i]) for persona in MATRIX for i, page in enumerate(PAGES)]
POSTS = {"verify": {"result": "ditemukan"}, "validate": {"note": ""}}


@pytest.fixture
def records(psm_a, psm_b, tksk_a, operator):
    """Per area: a proposed record and a verified one, proposed by that area's PSM."""
    built = {}
    for side, psm, kelurahan in (("in", psm_a, KEL_A), ("out", psm_b, KEL_B)):
        built[f"verify_{side}"] = make_record(psm, kelurahan=kelurahan)
        verified = make_record(psm, kelurahan=kelurahan)
        verifier = tksk_a if side == "in" else operator
        built[f"validate_{side}"] = services.ppks_verify(record=verified, actor=verifier, result="ditemukan")
        built[f"detail_{side}"] = built[f"verify_{side}"]
        built[f"person_{side}"] = built[f"verify_{side}"].person
    return built


def page_url(page: str, records) -> str:
    name = page.removesuffix("_in").removesuffix("_out")
    if name in {"list", "propose"}:
        return reverse(f"registry:ppks_{name}")
    if name == "person":
        return reverse("registry:person_detail", args=[records[page].pk])
    return reverse(f"registry:ppks_{name}", args=[records[page].pk])


@pytest.mark.parametrize(("persona", "page", "expected"), CASES, ids=[f"{p}-{g}" for p, g, _ in CASES])
def test_registry_pages_answer_by_role_and_area(client, request, records, persona, page, expected):
    client.force_login(request.getfixturevalue(persona))
    url = page_url(page, records)
    name = page.split("_")[0]
    answer = client.post(url, POSTS[name]) if name in POSTS else client.get(url)
    assert answer.status_code == expected


@pytest.mark.parametrize("page", ["list", "detail_in", "propose", "person_in"])
def test_every_registry_page_sends_an_anonymous_visitor_to_the_login_page(client, records, page):
    answer = client.get(page_url(page, records))
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("action", ["verify", "validate", "return", "resubmit", "reject", "exit"])
def test_every_workflow_step_sends_an_anonymous_visitor_to_the_login_page(client, records, action):
    answer = client.post(reverse(f"registry:ppks_{action}", args=[records["detail_in"].pk]), {"reason": "x"})
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))
    assert PpksRecord.objects.get(pk=records["detail_in"].pk).status == "diusulkan"


@pytest.mark.parametrize("action", ["verify", "validate", "return", "reject", "exit"])
def test_psm_cannot_take_checking_steps_even_in_its_own_kelurahan(client, psm_a, records, action):
    client.force_login(psm_a)
    answer = client.post(reverse(f"registry:ppks_{action}", args=[records["detail_in"].pk]), {"reason": "x"})
    assert answer.status_code == 403


def test_workflow_steps_refuse_get(client, operator, records):
    client.force_login(operator)
    assert client.get(reverse("registry:ppks_verify", args=[records["detail_in"].pk])).status_code == 405


def test_psm_gets_404_for_a_record_of_another_kelurahan_in_the_same_kecamatan(client, psm_a, operator):
    neighbour = make_record(operator, kelurahan=KEL_A2)
    client.force_login(psm_a)
    assert client.get(reverse("registry:ppks_detail", args=[neighbour.pk])).status_code == 404


def test_out_of_area_record_answers_like_a_missing_one(client, psm_a, records):
    client.force_login(psm_a)
    out = client.get(reverse("registry:ppks_detail", args=[records["detail_out"].pk]))
    missing = client.get(reverse("registry:ppks_detail", args=[999_999]))
    assert out.status_code == missing.status_code == 404
    assert "di luar wilayah Anda" in out.content.decode()
