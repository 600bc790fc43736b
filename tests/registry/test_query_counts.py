"""Registry pages and API at a million records: the query counts and shapes that keep them fast.

A page must not run more queries for more rows, nor ask the database for a whole-area set to show one
person (an OR with a subquery makes PostgreSQL read every record). The subqueries of restricted persons (and of the
households they head) stay: they read a partial index of a handful of rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilar.registry.selectors import persons_visible_to
from tests.registry.test_pages import POOR_FAMILY, make_household, make_person, make_record

# "household_id IN (SELECT …" other than the restricted persons' households (UU PDP), which read a partial index.
NESTED_HOUSEHOLDS = r'"household_id" IN \(SELECT (?![^)]*"restricted_at" IS NOT NULL)'


def queries_of(client, url: str) -> list[str]:
    client.get(url)  # the first request of a session fills what later ones read from the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_person_detail_runs_the_same_queries_for_more_records_and_none_with_a_nested_select(client, tksk_a, psm_a):
    household = make_household()
    head = household.head
    make_record(psm_a, person=head)
    client.force_login(tksk_a)
    url = reverse("registry:person_detail", args=[head.pk])
    few = queries_of(client, url)
    make_record(psm_a, category=POOR_FAMILY, household=household)
    make_record(psm_a, person=head, category="PPKS-01")
    many = queries_of(client, url)
    assert len(many) == len(few)
    for sql in many:
        if 'FROM "registry_ppksrecord"' in sql.split(" WHERE ")[0]:
            # The only household subquery allowed is the restriction's: the households whose head is restricted.
            assert "UNION" not in sql and not re.search(NESTED_HOUSEHOLDS, sql), sql


def test_one_person_in_a_tksk_area_is_found_without_building_the_areas_whole_set(tksk_a, psm_a):
    person = make_person()
    make_record(psm_a, person=person)
    persons_visible_to(tksk_a)  # the user's roles and area, read once and cached
    with CaptureQueriesContext(connection) as captured:
        assert persons_visible_to(tksk_a).filter(pk=person.pk).exists()
    (sql,) = [q["sql"] for q in captured.captured_queries if 'FROM "identity_person"' in q["sql"]]
    assert "UNION" not in sql and "EXISTS" in sql


def test_api_ppks_list_runs_the_same_queries_for_a_bigger_page_and_reads_only_listed_columns(api_as, operator, psm_a):
    for _ in range(3):
        make_record(psm_a)
    make_record(psm_a, category=POOR_FAMILY, household=make_household())
    api = api_as(operator)
    small = queries_of(api, "/api/v1/ppks/?limit=1")
    large = queries_of(api, "/api/v1/ppks/?limit=500")
    assert len(large) == len(small)
    assert len(api.get("/api/v1/ppks/?limit=500").json()["results"]) == 4
    rows = [sql for sql in large if '"registry_ppksrecord"."notes"' in sql or '"identity_person"."address"' in sql]
    assert rows == []


def test_api_limit_above_500_is_refused(api_as, operator):
    assert api_as(operator).get("/api/v1/ppks/?limit=501").status_code == 400


# --- query shapes SQLite needs at a million records (its plans; PostgreSQL plans these well either way) -------------

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own plans and FTS5 table")


def plan_of(sql: str, params: tuple = ()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def captured_sql(client, url: str, params: dict | None = None) -> list[tuple[str, tuple]]:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return [(q["sql"], ()) for q in captured.captured_queries]


def ids_query(queries: list[tuple[str, tuple]]) -> str:
    (sql,) = [s for s, _ in queries if s.startswith('SELECT "registry_ppksrecord"."id" AS "pk" FROM')]
    return sql


@sqlite_only
def test_a_tksks_first_page_reads_its_kecamatans_newest_ids_without_sorting_them(client, tksk_a, psm_a):
    for _ in range(3):
        make_record(psm_a)
    client.force_login(tksk_a)
    plan = plan_of(ids_query(captured_sql(client, reverse("registry:ppks_list"))))
    assert "ppks_kecamatan_newest" in plan and "TEMP B-TREE" not in plan, plan


def test_a_persons_page_checks_each_household_and_finds_records_by_person_and_household_first(client, tksk_a, psm_a):
    household = make_household()
    head = household.head
    own = make_record(psm_a, person=head)
    family = make_record(psm_a, category=POOR_FAMILY, household=household)
    make_record(psm_a)  # someone else's
    client.force_login(tksk_a)
    url = reverse("registry:person_detail", args=[head.pk])
    assert {r.pk for r in client.get(url).context["records"]} == {own.pk, family.pk}
    queries = [sql for sql, _ in captured_sql(client, url)]
    (members,) = [sql for sql in queries if sql.startswith('SELECT "registry_householdmember"')]
    # Not the set of every household of the kecamatan: each membership's household, by its key.
    assert "EXISTS" in members and '"household_id" IN (SELECT' not in members
    found = [sql for sql in queries if sql.startswith('SELECT "registry_ppksrecord"."id" AS "pk"')]
    assert len(found) == 1 and '"kecamatan_id"' not in found[0]


@sqlite_only
def test_a_name_search_counts_through_the_joined_fts_table_and_a_common_word_walks_the_newest_records(
    client, operator, psm_a, monkeypatch
):
    from pilar.identity import search

    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 2)
    for name in ("Ali", "Budi", "Cahya"):
        make_record(psm_a, person=make_person(name=f"Muhammad {name}"))
    client.force_login(operator)
    queries = captured_sql(client, reverse("registry:ppks_list"), {"q": "muhammad"})
    (count,) = [sql for sql, _ in queries if sql.startswith("SELECT COUNT(*)") and "registry_ppksrecord" in sql]
    assert 'INNER JOIN "identity_person_search"' in count and "SELECT rowid" not in count
    ids = ids_query(queries)
    assert '+"registry_ppksrecord"."person_id" IN (SELECT rowid' in ids
    # The rows by their ids alone: the search is not asked again.
    rows = [sql for sql, _ in queries if sql.startswith('SELECT "registry_ppksrecord"."id", ')]
    assert rows and all("identity_person_search" not in sql for sql in rows)
