from pilar.core.paging import DeferredJoinPaginator, page_window
from pilar.regions.models import Region


def test_a_window_keeps_the_querysets_order_and_relations(city, django_assert_num_queries):
    qs = Region.objects.villages().select_related("parent").order_by("-code")
    with django_assert_num_queries(2):  # the ids, then the rows with their parents
        window = page_window(qs, slice(10, 15))
        names = [(r.code, r.parent.code) for r in window]
    expected = [(r.code, r.parent.code) for r in qs[10:15]]
    assert names == expected


def test_the_paginator_gives_the_same_pages_as_djangos(city):
    from django.core.paginator import Paginator

    qs = Region.objects.villages().order_by("code")
    ours, theirs = DeferredJoinPaginator(qs, 25), Paginator(qs, 25)
    for number in (1, 3, 5):
        assert [r.pk for r in ours.page(number)] == [r.pk for r in theirs.page(number)]
    assert page_window(qs, slice(500, 525)) == []


def test_a_window_loads_its_rows_by_id_alone_without_asking_the_filters_again(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pilar.core.paging import keyset_window

    qs = Region.objects.villages().filter(name__contains="a").select_related("parent").order_by("-pk")
    expected = [(r.pk, r.parent.code) for r in qs[3:8]]
    with CaptureQueriesContext(connection) as captured:
        window = page_window(qs, slice(3, 8))
    assert [(r.pk, r.parent.code) for r in window] == expected
    rows_sql = captured.captured_queries[1]["sql"]
    # The rows come by primary key (with their parents joined), not through the name filter a second time.
    assert "LIKE" not in rows_sql and '"level"' not in rows_sql.split(" WHERE ")[1]
    cursor = f"a{expected[0][0] + 1}"
    with CaptureQueriesContext(connection) as captured:
        found = keyset_window(qs, cursor, 5)
    assert [(r.pk, r.parent.code) for r in found.rows] == expected
    assert "LIKE" not in captured.captured_queries[-1]["sql"]


def test_a_window_of_an_annotated_queryset_keeps_its_annotations(city):
    from django.db.models import Value

    qs = Region.objects.villages().annotate(tag=Value("x")).order_by("code")
    assert [(r.code, r.tag) for r in page_window(qs, slice(0, 3))] == [(r.code, "x") for r in qs[:3]]
