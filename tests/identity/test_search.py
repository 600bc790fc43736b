"""Name and NIK search: the same persons on SQLite and PostgreSQL, answered from an index on both."""

import random

import pytest
from django.db import connection

from pilar.identity.models import Person
from pilar.identity.search import name_q, person_q
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NAMES = ["Hj. Siti Aminah, S.Pd.", "SITI NURHALIZA", "Ahmad Fauzi", "Budi Santoso", "Nur'aini", "M. Rizki Aminudin"]


def found(q) -> list[str]:
    return sorted(Person.objects.filter(q).values_list("name", flat=True))


@pytest.fixture
def persons():
    return [PersonFactory(name=name) for name in NAMES]


def test_name_search_finds_contained_words_whatever_the_case_titles_and_punctuation(persons):
    assert found(name_q("siti am")) == ["Hj. Siti Aminah, S.Pd."]
    assert found(name_q("AMIN")) == ["Hj. Siti Aminah, S.Pd.", "M. Rizki Aminudin"]
    assert found(name_q("Nur'aini")) == ["Nur'aini"]
    assert found(name_q("Dr. Budi")) == ["Budi Santoso"]
    assert found(name_q("santosa")) == []


def test_name_search_of_fewer_than_three_letters_still_finds_by_containment(persons):
    assert found(name_q("ud")) == ["Budi Santoso", "M. Rizki Aminudin"]


def test_whole_nik_finds_that_person_only_with_spaces_or_dots(persons):
    person = persons[2]
    spaced = " ".join(person.nik[i : i + 4] for i in range(0, 16, 4))
    assert found(person_q(spaced)) == ["Ahmad Fauzi"]
    assert found(person_q(person.nik.replace(person.nik[:6], person.nik[:2] + "." + person.nik[2:6], 1))) == [
        "Ahmad Fauzi"
    ]


def test_search_follows_renames_and_deletions(persons):
    person = persons[3]
    person.name = "Bambang Pamungkas"
    person.save()
    assert found(name_q("budi")) == []
    assert found(name_q("pamung")) == ["Bambang Pamungkas"]
    Person.objects.filter(pk=person.pk).update(name="x", name_normalized="sutrisno")
    assert found(name_q("pamung")) == []
    assert found(name_q("trisno")) == ["x"]
    Person.objects.filter(pk=person.pk).delete()
    assert found(name_q("trisno")) == []


def test_search_through_a_relation_matches_the_plain_containment_filter(persons):
    from pilar.workers.models import Worker

    assert Worker.objects.filter(name_q("siti", "person__")).count() == 0
    assert list(Person.objects.filter(name_q("siti")).order_by("id")) == [persons[0], persons[1]]


def test_index_search_returns_exactly_what_a_full_scan_returns():
    rng = random.Random(10)
    syllables = ["su", "ti", "ami", "nah", "bu", "di", "rah", "ma", "wati", "sri", "nur", "ah", "mad", "an"]
    for _ in range(300):
        words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
        PersonFactory(name=" ".join(words).title())
    for query in ["sut", "ti ami", "nah", "wati sri", "madan", "rahma", "bu di", "ahm", "nurnur", "zzz", "a"]:
        scanned = set(Person.objects.filter(name_normalized__contains=query).values_list("id", flat=True))
        assert set(Person.objects.filter(name_q(query)).values_list("id", flat=True)) == scanned, query


def test_name_search_is_served_by_the_trigram_index():
    PersonFactory(name="Siti Aminah")
    sql, params = Person.objects.filter(name_q("aminah")).values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "identity_person_search VIRTUAL TABLE INDEX" in plan
        else:
            # Tiny tables read faster in full; the index must be usable, which this forces the planner to show.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "identity_person_name_trgm" in plan


def test_persons_matching_lists_in_name_order_with_or_without_the_index(persons):
    from pilar.identity.search import persons_matching

    assert [p.name for p in persons_matching(Person.objects.all(), "amin")] == [
        "M. Rizki Aminudin",
        "Hj. Siti Aminah, S.Pd.",
    ]
