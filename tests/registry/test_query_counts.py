"""Registry pages and API at a million records: the query counts and shapes that keep them fast.

A page must not run more queries for more rows, nor ask the database for a whole-area set to show one
person (an OR with a subquery makes PostgreSQL read every record). The subqueries of restricted persons (and of the
households they head) stay: they read a partial index of a handful of rows."""

import re

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
