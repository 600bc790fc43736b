"""Data-quality indicators from the summary tables (pilar.stats.quality): numbers on a small fixture, the tables
kept current by the verval events and rebuilt from the records, area scoping, restriction, the page and its
query count."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilar.registry import services
from pilar.registry.models import DuplicateCandidate, Evidence, PpksRecord
from pilar.stats import quality as stats_quality
from pilar.stats.quality import median_of, quality_rows, totals
from tests.conftest import KEL_A, KEL_A2, KEL_B
from tests.registry.makers import person_in, propose


@pytest.fixture
def registry(psm_a, psm_b, operator):
    """Kelurahan A: 4 records by PSM A (one without NIK, two validated after 2 and 6 days, one with
    evidence, one pair of persons open as a duplicate candidate); A2: 1 by the operator; B: 1 by PSM B."""
    now = timezone.now()
    a = [propose(psm_a) for _ in range(3)] + [propose(psm_a, person=person_in(KEL_A, nik=None))]
    for record, days in ((a[0], 2), (a[1], 6)):
        PpksRecord.objects.filter(pk=record.pk).update(
            status="ditetapkan", proposed_at=now - timedelta(days=10), validated_at=now - timedelta(days=10 - days)
        )
    PpksRecord.objects.filter(pk=a[2].pk).update(status="diverifikasi")
    Evidence.objects.create(record=a[0], file="ppks/x.jpg", content_type="image/jpeg", size=10)
    low, high = sorted((a[2].person, a[3].person), key=lambda p: p.pk)
    DuplicateCandidate.objects.create(
        person_a=low, person_b=high, score="0.900", reasons=[], kelurahan=a[2].kelurahan, kecamatan=a[2].kecamatan
    )
    propose(operator, kelurahan_code=KEL_A2)
    propose(psm_b, kelurahan_code=KEL_B)
    return a


def by_key(rows):
    return {row.labels[0]: row for row in rows}


def test_indicators_per_kelurahan(registry, operator):
    rows = quality_rows(operator, "kelurahan")
    assert len(rows) == 3
    a = next(r for r in rows if r.key == registry[0].kelurahan_id)
    assert a.total == 4
    assert a.by_status["ditetapkan"] == 2 and a.by_status["diverifikasi"] == 1 and a.by_status["diusulkan"] == 1
    assert (a.with_nik, a.person_records, a.nik_share) == (3, 4, 0.75)
    assert a.verified == 3 and a.verified_share == 0.75
    assert a.median_days == 4.0  # median of 2 and 6 days
    assert a.open_duplicates == 1
    assert a.without_evidence == 3
    assert totals(rows).total == 6


def test_indicators_per_kecamatan_and_per_psm(registry, operator, psm_a):
    kec = quality_rows(operator, "kecamatan")
    assert sorted(r.total for r in kec) == [1, 5]
    per_psm = {r.key: r for r in quality_rows(operator, "psm")}
    assert per_psm[psm_a.pk].total == 4 and per_psm[psm_a.pk].open_duplicates == 1
    assert per_psm[operator.pk].open_duplicates == 0


def test_psm_sees_only_its_kelurahan(registry, psm_a, psm_b):
    assert [r.total for r in quality_rows(psm_a, "kelurahan")] == [4]
    rows_b = quality_rows(psm_b, "kelurahan")
    assert [r.total for r in rows_b] == [1] and rows_b[0].open_duplicates == 0


def test_quality_page_answers_per_grouping(client, registry, psm_a):
    assert client.get(reverse("registry_quality:page")).status_code == 302  # login first
    client.force_login(psm_a)
    for by in ("kecamatan", "kelurahan", "psm", "nonsense"):
        response = client.get(reverse("registry_quality:page"), {"by": by})
        assert response.status_code == 200
    assert "Sukarasa" in response.content.decode()


def test_quality_page_refuses_users_without_registry_access(client, opd_user):
    client.force_login(opd_user)
    assert client.get(reverse("registry_quality:page")).status_code == 403


def test_a_status_change_shows_at_once_through_its_event(registry, operator, tksk_a):
    kelurahan = registry[0].kelurahan_id
    before = next(r for r in quality_rows(operator, "kelurahan") if r.key == kelurahan)
    # The kecamatan's TKSK verifies in the field (the workflow's guard refuses a PSM the step).
    services.ppks_verify(record=registry[3], actor=tksk_a, result="ditemukan")
    after = next(r for r in quality_rows(operator, "kelurahan") if r.key == kelurahan)
    assert after.by_status["diverifikasi"] == before.by_status["diverifikasi"] + 1
    assert after.by_status["diusulkan"] == before.by_status["diusulkan"] - 1
    assert after.verified == before.verified + 1 and after.total == before.total


def test_what_no_event_tells_shows_after_the_rebuild(registry, operator):
    kelurahan = registry[0].kelurahan_id
    assert next(r for r in quality_rows(operator, "kelurahan") if r.key == kelurahan).without_evidence == 3
    Evidence.objects.create(record=registry[1], file="ppks/y.jpg", content_type="image/jpeg", size=10)
    assert next(r for r in quality_rows(operator, "kelurahan") if r.key == kelurahan).without_evidence == 3
    stats_quality.rebuild()
    assert next(r for r in quality_rows(operator, "kelurahan") if r.key == kelurahan).without_evidence == 2


def test_restricted_persons_leave_the_figures_for_all_but_the_admin(registry, operator, admin_user):
    from pilar.identity.models import Person

    Person.objects.filter(pk=registry[0].person_id).update(restricted_at=timezone.now())
    row = next(r for r in quality_rows(operator, "kelurahan") if r.key == registry[0].kelurahan_id)
    assert row.total == 3 and row.by_status["ditetapkan"] == 1 and row.median_days == 6.0
    assert row.without_evidence == 3  # the restricted record was the one with evidence
    admin_row = next(r for r in quality_rows(admin_user, "kelurahan") if r.key == registry[0].kelurahan_id)
    assert admin_row.total == 4 and admin_row.median_days == 4.0


def test_median_from_the_histogram_is_the_median_of_the_values():
    assert median_of(Counter({2: 1, 6: 1})) == 4.0
    assert median_of(Counter({1: 2, 9: 1})) == 1.0
    assert median_of(Counter({1: 1, 3: 2, 10: 1})) == 3.0
    assert median_of(Counter({5: 0})) is None


@pytest.mark.parametrize("by", ["kecamatan", "kelurahan", "psm"])
def test_quality_page_costs_the_same_queries_whatever_the_registry_size(client, registry, operator, psm_a, by):
    client.force_login(operator)
    url = reverse("registry_quality:page")
    client.get(url, {"by": by})  # the tables built once

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"by": by}).status_code == 200
        return len(ctx)

    first = queries()
    for _ in range(5):
        propose(psm_a)
    stats_quality.rebuild()
    assert queries() == first
    assert first <= 17, first  # session, user, roles, the tables, names, duplicates, conflicts, menu
