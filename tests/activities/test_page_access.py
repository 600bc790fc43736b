"""Each persona × every activity page: the status it answers. Outside what the user may see: 404, as for a
missing report; seen but not permitted: 403."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.activities.makers import report_for

pytestmark = pytest.mark.django_db

PAGES = (
    "list",
    "detail_in",
    "detail_out",
    "create",
    "edit_in",
    "recap",
    "recap_xlsx",
    "recap_print",
    "roadshow",
    "roadshow_plan",
)
FULL_READ = (200, 200, 200, 403, 403, 200, 200, 200, 200)
MATRIX = {
    "admin_user": (*FULL_READ, 200),
    "operator": (*FULL_READ, 200),
    "pimpinan": (*FULL_READ, 403),
    "tksk_a": (200, 200, 404, 403, 403, 200, 200, 200, 200, 403),
    "psm_a": (200, 200, 404, 200, 200, 200, 200, 200, 200, 403),
    "opd_user": (403, 404, 404, 403, 404, 403, 403, 403, 403, 403),
}
CASES = [(persona, page, MATRIX[persona][i]) for persona in MATRIX for i, page in enumerate(PAGES)]


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 5))


@pytest.fixture
def reports(psm_a, psm_b):
    return report_for(psm_a), report_for(psm_b)


def url(page: str, inside, outside) -> str:
    report = inside if page.endswith("_in") else outside
    name = page.removesuffix("_in").removesuffix("_out")
    if name in {"detail", "edit"}:
        return reverse(f"activities:{name}", args=[report.pk])
    return reverse(f"activities:{name}")


@pytest.mark.parametrize(("persona", "page", "expected"), CASES, ids=[f"{p}-{g}" for p, g, _ in CASES])
def test_activity_pages_answer_by_role_and_area(client, request, reports, persona, page, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(page, *reports)).status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_every_activity_page_sends_an_anonymous_visitor_to_the_login_page(client, reports, page):
    answer = client.get(url(page, *reports))
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", ["recap", "recap_xlsx", "recap_print"])
def test_tksk_cannot_open_another_kecamatans_recap(client, tksk_a, name):
    client.force_login(tksk_a)
    assert client.get(reverse(f"activities:{name}"), {"kecamatan": "36.71.03"}).status_code == 404


@pytest.mark.parametrize("name", ["submit", "accept", "return", "visit_add", "photo_add"])
def test_actions_on_a_report_outside_the_area_answer_404(client, tksk_a, reports, name):
    client.force_login(tksk_a)
    assert client.post(reverse(f"activities:{name}", args=[reports[1].pk]), {"reason": "x"}).status_code == 404


def test_psm_cannot_see_a_neighbours_report_in_the_same_kelurahan(client, psm_a, city):
    from tests.conftest import KEL_A
    from tests.factories import psm_user

    neighbour = report_for(psm_user("psm.a2", KEL_A))
    client.force_login(psm_a)
    assert client.get(neighbour.get_absolute_url()).status_code == 404


def test_psm_cannot_check_reports(client, psm_a, reports):
    client.force_login(psm_a)
    assert client.post(reverse("activities:accept", args=[reports[0].pk])).status_code == 403


ACTIONS = ["submit", "accept", "return", "visit_add", "photo_add", "roadshow_done", "roadshow_cancel"]


@pytest.mark.parametrize("name", ACTIONS)
def test_every_activity_action_sends_an_anonymous_visitor_to_the_login_page(client, reports, name):
    answer = client.post(reverse(f"activities:{name}", args=[reports[0].pk]))
    assert answer.status_code == 302 and answer.url.startswith(reverse("login") + "?next=")
    reports[0].refresh_from_db()
    assert reports[0].status == "draf"


def test_tksk_list_says_how_many_reports_wait_for_the_check(client, tksk_a, psm_a, psm_b):
    from tests.activities.makers import submitted

    submitted(psm_a)
    submitted(psm_b)  # another kecamatan: not in this TKSK's queue
    client.force_login(tksk_a)
    assert client.get(reverse("activities:list")).context["awaiting"] == 1
