"""Each persona × in-area/out-of-area × every workforce page: the status the page answers.

In-area is a PSM of kelurahan A (36.71.01.1001); out-of-area a PSM of kelurahan B in another
kecamatan. Outside the user's area a worker answers 404, exactly as a missing one. A worker the
user may see but not manage answers 403 on the manage pages (its existence is no secret to them).
"""

import re

import pytest
from django.urls import reverse

from tests.conftest import KEL_A, KEL_A2, KEL_B
from tests.factories import WorkerFactory, region
from tests.workers.test_pages import new_psm_form

PAGES = (
    "list",
    "detail_in",
    "detail_out",
    "create",
    "edit_in",
    "edit_out",
    "status_in",
    "transfer_in",
    "decree_in",
    "export",
    "coverage",
    "board",
)

FULL = (200,) * len(PAGES)
# persona: expected status per page, in the order of PAGES
MATRIX = {
    "admin_user": FULL,
    "operator": FULL,
    "pimpinan": (200, 200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 200),
    "tksk_a": (200, 200, 404, 403, 403, 404, 403, 403, 403, 403, 200, 200),
    "psm_a": (200, 200, 404, 403, 403, 404, 403, 403, 403, 403, 200, 200),
    "opd_user": (403, 404, 404, 403, 404, 404, 404, 404, 404, 403, 403, 403),
}
CASES = [(persona, page, MATRIX[persona][i]) for persona in MATRIX for i, page in enumerate(PAGES)]


@pytest.fixture
def workers(city):
    return WorkerFactory(region=region(KEL_A)), WorkerFactory(region=region(KEL_B))


def page_url(page: str, inside, outside) -> str:
    worker = inside if page.endswith("_in") else outside
    name = page.removesuffix("_in").removesuffix("_out")
    if name in {"detail", "edit", "status", "transfer", "decree"}:
        return reverse(f"workers:{name}", args=[worker.pk])
    return reverse(f"workers:{name}") + ("?format=csv" if name == "export" else "")


@pytest.mark.parametrize(("persona", "page", "expected"), CASES, ids=[f"{p}-{g}" for p, g, _ in CASES])
def test_workforce_pages_answer_by_role_and_area(client, request, workers, persona, page, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page_url(page, *workers)).status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_every_workforce_page_sends_an_anonymous_visitor_to_the_login_page(client, workers, page):
    answer = client.get(page_url(page, *workers))
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", ["board_period_create", "board_member_set", "board_member_remove"])
def test_board_changes_send_an_anonymous_visitor_to_the_login_page(client, name):
    url = reverse(f"workers:{name}", args=[] if name == "board_period_create" else [1])
    answer = client.post(url)
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


def test_psm_gets_404_for_worker_of_another_kelurahan_in_the_same_kecamatan(client, psm_a):
    neighbour = WorkerFactory(region=region(KEL_A2))
    client.force_login(psm_a)
    assert client.get(reverse("workers:detail", args=[neighbour.pk])).status_code == 404


def test_out_of_area_worker_answers_like_a_missing_one(client, tksk_a, workers):
    _, outside = workers
    client.force_login(tksk_a)
    out = client.get(reverse("workers:detail", args=[outside.pk]))
    missing = client.get(reverse("workers:detail", args=[999_999]))
    assert out.status_code == missing.status_code == 404
    assert main_part(out) == main_part(missing)


def main_part(answer) -> str:
    # The header differs by design (the language form returns to the current path and has its token).
    return re.search(r"<main.*</main>", answer.content.decode(), re.S).group(0)


@pytest.mark.parametrize("persona", ["pimpinan", "tksk_a", "psm_a", "opd_user"])
def test_roles_without_manage_permission_cannot_post_a_new_worker(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("workers:create"), new_psm_form()).status_code == 403


def test_readers_cannot_post_changes_to_a_worker_in_their_area(client, tksk_a, pimpinan, workers):
    inside, _ = workers
    for user in (tksk_a, pimpinan):
        client.force_login(user)
        for name, data in (("workers:edit", {"name": "X"}), ("workers:status", {"status": "berhenti"})):
            assert client.post(reverse(name, args=[inside.pk]), data).status_code == 403


def test_forbidden_page_is_explained_in_indonesian(client, pimpinan):
    client.force_login(pimpinan)
    answer = client.get(reverse("workers:create"))
    assert answer.status_code == 403
    assert "Akses ditolak" in answer.content.decode()


@pytest.mark.parametrize("persona", ["pimpinan", "tksk_a"])
def test_board_is_managed_only_by_dinsos(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    answer = client.post(reverse("workers:board_period_create"), {"start_year": 2021, "end_year": 2026})
    assert answer.status_code == 403
