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
