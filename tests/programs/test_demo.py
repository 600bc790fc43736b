"""The demo: every program has beneficiaries in several states, Bedah Rumah houses reach renovation; a second run
creates nothing."""

from datetime import date

import pytest
from django.db import transaction

from pilar.programs.demo import seed_programs
from pilar.programs.models import Enrollment, EnrollmentStatus, HouseAssessment, Program
from tests.conftest import KEL_A, KEL_B
from tests.programs.makers import CHILD, ELDERLY, person_in, record

pytestmark = pytest.mark.django_db


def test_demo_fills_every_program_in_several_states_and_is_idempotent(psm_a, psm_b, tksk_a, operator):
    for kelurahan in (KEL_A, KEL_B):
        for _ in range(5):
            record(kelurahan=kelurahan)
            record(
                CHILD, kelurahan=kelurahan, person=person_in(kelurahan, birth_date=date(date.today().year - 9, 3, 1))
            )
            record(ELDERLY, kelurahan=kelurahan, person=person_in(kelurahan, birth_date=date(1948, 3, 1)))
    areas = {"psm_by_village": {psm_a.role_assignments.get().region_id: psm_a,
                                psm_b.role_assignments.get().region_id: psm_b},
             "tksk_by_kecamatan": {tksk_a.role_assignments.get().region_id: tksk_a}}  # fmt: skip
    with transaction.atomic():
        made = seed_programs(operator=operator, today=date.today(), **areas)
    assert made["penerima program"] == Enrollment.objects.count() > 0
    for program in Program.objects.all():
        states = set(Enrollment.objects.filter(program=program).values_list("status", flat=True))
        assert len(states) >= 2, (program.code, states)
    assert set(Enrollment.objects.values_list("status", flat=True)) == set(EnrollmentStatus.values)
    assert HouseAssessment.objects.filter(status="direnovasi").exists()
    with transaction.atomic():
        assert not seed_programs(operator=operator, today=date.today(), **areas)
