"""``/api/v1/dashboard``: the contract's fields, scoped like the registry, consistent with ``/api/v1/ppks``."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pilar.registry import services
from pilar.registry.models import PpksRecord
from pilar.stats import tally
from pilar.stats.models import PpksMonth, PpksTally
from tests.conftest import KEC_A, KEC_B, KEL_A, KEL_A2, KEL_B
from tests.registry.makers import POOR_FAMILY, propose
from tests.reports.conftest import validated

PERSONAS = ["admin_user", "operator", "pimpinan", "tksk_a", "psm_a", "psm_b"]
AREAS = [
    {},
    {"kecamatan": KEC_A},
    {"kelurahan": KEL_A},
    {"kelurahan": KEL_A2},
    {"kecamatan": KEC_B},
    {"kelurahan": KEL_B},
    {"category": "PPKS-11"},
    {"kecamatan": KEC_A, "category": POOR_FAMILY},
]


def dashboard(client, **params):
    response = client.get("/api/v1/dashboard/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("persona", PERSONAS)
def test_active_ppks_equals_the_registry_count_for_every_user_and_area(api_as, request, persona, registry):
    client = api_as(request.getfixturevalue(persona))
    for area in AREAS:
        body = dashboard(client, **area)
        listed = client.get("/api/v1/ppks/", {"status": "ditetapkan", "limit": 1, **area}).json()["count"]
        assert body["totals"]["ppks_active"] == listed, (persona, area)
        assert sum(item["ppks_active"] for item in body["by_area"]) == body["totals"]["ppks_active"], (persona, area)
        assert sum(item["psm_active"] for item in body["by_area"]) == body["totals"]["psm_active"], (persona, area)
        assert body["trend"][-1]["active"] == body["totals"]["ppks_active"], (persona, area)


def test_restricted_persons_count_for_the_admin_only(api_as, registry, admin_user, operator):
    seen_by_admin = dashboard(api_as(admin_user))["totals"]["ppks_active"]
    seen_by_operator = dashboard(api_as(operator))["totals"]["ppks_active"]
    assert seen_by_admin == PpksRecord.objects.filter(status="ditetapkan").count() == 8
    assert seen_by_operator == seen_by_admin - 2


def test_tksk_gets_its_kecamatan_only(api_as, registry, tksk_a):
    body = dashboard(api_as(tksk_a))
    assert [item["code"] for item in body["by_area"]] == [KEC_A]
    assert body["totals"]["ppks_active"] == 4  # A: 2 persons + 1 family; A2: 1; the restricted one hidden
    assert dashboard(api_as(tksk_a), kecamatan=KEC_B)["totals"]["ppks_active"] == 0


def test_by_area_lists_kelurahan_inside_a_kecamatan(api_as, registry, pimpinan):
    body = dashboard(api_as(pimpinan), kecamatan=KEC_A)
    assert body["level"] == "kelurahan"
    rows = {item["code"]: item for item in body["by_area"]}
    assert rows[KEL_A]["ppks_active"] == 3 and rows[KEL_A2]["ppks_active"] == 1
    assert all(code.startswith(KEC_A + ".") for code in rows)
    assert set(body["by_area"][0]) >= {"code", "name", "ppks_active", "psm_active"}


def test_the_city_lists_every_kecamatan_even_without_records(api_as, city, pimpinan):
    body = dashboard(api_as(pimpinan))
    assert len(body["by_area"]) == 13
    assert body["totals"]["ppks_active"] == 0
    assert len(body["trend"]) == 12 and all(point["active"] == 0 for point in body["trend"])


def test_trend_counts_entries_and_exits_per_month(api_as, pimpinan, reporter, checker):
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    old = [validated(reporter, checker) for _ in range(3)]
    PpksRecord.objects.filter(pk__in=[r.pk for r in old]).update(
        validated_at=timezone.now() - timedelta(days=timezone.localdate().day + 5)
    )
    services.ppks_exit(record=old[0], actor=checker, on=timezone.localdate(), reason="graduasi")
    validated(reporter, checker)
    tally.rebuild()  # the validation dates were moved behind the events' back
    trend = {p["month"]: p for p in dashboard(api_as(pimpinan))["trend"]}
    now_key, last_key = this_month.strftime("%Y-%m"), last_month.strftime("%Y-%m")
    assert (trend[last_key]["entered"], trend[last_key]["exited"], trend[last_key]["active"]) == (3, 0, 3)
    assert (trend[now_key]["entered"], trend[now_key]["exited"], trend[now_key]["active"]) == (1, 1, 3)


def test_a_past_period_counts_active_records_at_its_end(api_as, pimpinan, reporter, checker):
    for _ in range(2):
        validated(reporter, checker)
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    body = dashboard(api_as(pimpinan), period=month)
    assert body["totals"]["ppks_active"] == 0 and body["trend"][-1]["month"] == month
    assert sum(item["ppks_active"] for item in body["by_area"]) == 0


def test_events_keep_the_tallies_equal_to_a_rebuild(registry, reporter, checker):
    tally.catch_up()
    record = validated(reporter, checker, KEL_B)
    services.ppks_exit(record=record, actor=checker, on=date.today(), reason="meninggal")
    services.ppks_reject(record=propose(reporter), actor=checker, reason="tidak sesuai")
    tally.catch_up()
    followed = _tables()
    tally.rebuild()
    assert _tables() == followed


def _tables():
    tallies = {
        (t.kecamatan_id, t.kelurahan_id, t.category_id, t.status): t.count for t in PpksTally.objects.all() if t.count
    }
    months = {
        (m.month, m.kelurahan_id, m.category_id): (m.entered, m.exited)
        for m in PpksMonth.objects.all()
        if m.entered or m.exited
    }
    return tallies, months


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "bulan lalu"}, "period"),
        ({"kecamatan": "99.99.99"}, "kecamatan"),
        ({"category": "PPKS-99"}, "category"),
        ({"months": "0"}, "months"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(api_as, pimpinan, params, field):
    response = api_as(pimpinan).get("/api/v1/dashboard/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_users_without_the_registry_are_refused(api_as, opd_user):
    assert api_as(opd_user).get("/api/v1/dashboard/").status_code == 403
    assert api_as(None).get("/api/v1/dashboard/").status_code == 401


@pytest.mark.parametrize(("area", "queries"), [({}, 17), ({"kecamatan": KEC_A}, 18)])
def test_one_dashboard_answer_reads_a_fixed_number_of_queries(
    api_as, registry, pimpinan, area, queries, django_assert_max_num_queries
):
    # Sign-in (token, roles), tally state (2), filter lookups, areas, restricted records (persons, their
    # households, then the records: 3, through indexes), tallies, months (one
    # query for city, kecamatan and kelurahan), PSM and open cases (one each for both levels), TKSK, overdue
    # cases with their stage targets, categories (and the kecamatan asked for): never one per area or month.
    client = api_as(pimpinan)
    dashboard(client, **area)
    with django_assert_max_num_queries(queries):
        dashboard(client, **area)


def test_the_restricted_persons_are_looked_up_without_an_order_that_would_scan_every_name(api_as, registry, pimpinan):
    # Ordered by the model's name, SQLite walked the whole name index (1.4 s per dashboard at 1M persons)
    # instead of the partial index of the few restricted persons.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        dashboard(api_as(pimpinan))
    lookups = [q["sql"] for q in captured if '"restricted_at" IS NOT NULL' in q["sql"]]
    assert lookups
    assert not [sql for sql in lookups if "ORDER BY" in sql]
