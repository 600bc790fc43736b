"""The demo: every program has beneficiaries in several states, Bedah Rumah houses reach renovation; a second run
creates nothing."""

from datetime import date

import pytest
from django.db import transaction

from pilar.programs.demo import seed_programs
from pilar.programs.models import Enrollment, EnrollmentStatus, HouseAssessment, Program
from pilar.regions.selectors import city_villages
from pilar.registry.models import PpksRecord
from tests.programs.makers import CHILD, ELDERLY, RTLH, person_in, record

pytestmark = pytest.mark.django_db


def test_demo_fills_every_program_in_several_states_and_is_idempotent(psm_a, tksk_a, operator):
    villages = {}
    for village in city_villages():
        villages.setdefault(village.parent_id, village)
    villages = list(villages.values())[:6]  # one kelurahan in each of six kecamatan
    for village in villages:
        for _ in range(2):
            record(kelurahan=village.code)
            record(RTLH, kelurahan=village.code)
            born = date(date.today().year - 9, 3, 1)
            record(CHILD, kelurahan=village.code, person=person_in(village.code, birth_date=born))
            record(ELDERLY, kelurahan=village.code, person=person_in(village.code, birth_date=date(1948, 3, 1)))
    # The demo's proposers and assessors: here one PSM and one TKSK stand in for every area's.
    areas = {
        "psm_by_village": {v.pk: psm_a for v in villages},
        "tksk_by_kecamatan": {v.parent_id: tksk_a for v in villages},
    }
    with transaction.atomic():
        made = seed_programs(operator=operator, today=date.today(), **areas)
    assert made["penerima program"] == Enrollment.objects.count() > 0
    for program in Program.objects.all():
        states = set(Enrollment.objects.filter(program=program).values_list("status", flat=True))
        assert len(states) >= 4, (program.code, states)
    assert set(Enrollment.objects.values_list("status", flat=True)) == set(EnrollmentStatus.values)
    assert HouseAssessment.objects.filter(status="direnovasi").count() >= 2
    # A renovated house's RTLH record has left the registry.
    assert PpksRecord.objects.filter(category__code=RTLH, status="keluar", exit_reason="ditangani").count() >= 2
    with transaction.atomic():
        assert not seed_programs(operator=operator, today=date.today(), **areas)
