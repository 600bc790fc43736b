"""Cases opened the way the pages open them: through ``case_open`` by a worker of the area."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pilar.cases import services
from pilar.cases.models import Case
from pilar.registry.models import Category
from tests.conftest import KEL_A, KEL_B
from tests.factories import region


@pytest.fixture
def make_case(city):
    def make(actor, kelurahan: str = KEL_A, **kwargs) -> Case:
        defaults = {
            "category": Category.objects.get(code=kwargs.pop("category_code", "PPKS-09")),
            "source": Case.Source.PSM_FINDING,
            "summary": "Lansia hidup sendiri, tidak ada yang merawat.",
            "subject_name": "Ibu Siti",
            "address": "Jl. Ki Samaun No. 3",
        }
        return services.case_open(actor=actor, kelurahan=region(kelurahan), **(defaults | kwargs))

    return make


@pytest.fixture
def case_a(make_case, psm_a):
    # A case of kelurahan A, opened (and so held) by psm_a.
    return make_case(psm_a)


@pytest.fixture
def case_b(make_case, psm_b):
    # A case of kelurahan B (another kecamatan), held by psm_b.
    return make_case(psm_b, KEL_B)


def age(case: Case, days: int) -> Case:
    """Pretend the case entered its stage ``days`` days ago."""
    Case.objects.filter(pk=case.pk).update(stage_started_at=timezone.now() - timedelta(days=days))
    case.refresh_from_db()
    return case


def assessed(case: Case, actor, factors=("kekerasan",)) -> Case:
    services.case_assess(actor=actor, case=case, factors=list(factors), needs="Pendampingan")
    case.refresh_from_db()
    return case


def planned(case: Case, actor):
    return services.case_plan_submit(
        actor=actor,
        case=case,
        goals="Lansia dirawat keluarga",
        actions="Mediasi keluarga; rujuk Dinkes",
        target_date=timezone.localdate() + timedelta(days=30),
    )
