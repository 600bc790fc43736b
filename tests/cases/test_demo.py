"""The demo cases: every stage, closed and reopened ones, some overdue; a second run creates nothing."""

import pytest
from django.db import transaction

from pilar.cases.demo import case_totals, seed_cases
from pilar.cases.models import Case, Plan, Stage

pytestmark = pytest.mark.django_db


def _seed(psm_a, psm_b, tksk_a, operator):
    with transaction.atomic():
        return seed_cases(
            psm_by_village={
                psm_a.role_assignments.get().region_id: psm_a,
                psm_b.role_assignments.get().region_id: psm_b,
            },
            tksk_by_kecamatan={tksk_a.role_assignments.get().region_id: tksk_a},
            operator=operator,
        )


def test_demo_has_cases_in_every_stage_and_is_idempotent(psm_a, psm_b, tksk_a, operator):
    created = _seed(psm_a, psm_b, tksk_a, operator)
    assert created["kasus"] == Case.objects.count() >= 55
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Case.objects.filter(reopen_count=1, stage=Stage.ASSESSMENT).count() == 1
    assert case_totals()["Kasus terlambat"] >= 5
    assert Plan.objects.filter(status=Plan.Status.PENDING).count() == Case.objects.filter(stage=Stage.PLANNING).count()
    assert not Case.objects.exclude(assignments__isnull=False).exists()
    assert _seed(psm_a, psm_b, tksk_a, operator) == {}
    assert Case.objects.count() == created["kasus"]


def test_demo_cases_are_scoped_like_any_other(psm_a, psm_b, tksk_a, operator):
    _seed(psm_a, psm_b, tksk_a, operator)
    mine = Case.objects.visible_to(psm_a)
    assert mine.exists() and not mine.exclude(kelurahan_id=psm_a.role_assignments.get().region_id).exists()
