"""Cases opened by the area's workers, agencies with their users, and referrals sent through the service."""

import pytest

from pilar.accounts.models import Agency, Role
from pilar.cases import services as case_services
from pilar.cases.models import Case
from pilar.referrals import services
from pilar.referrals.models import Referral
from pilar.registry.models import Category
from tests.conftest import KEL_A, KEL_B
from tests.factories import region, user_with_role


def agency(code: str, name: str = "") -> Agency:
    # get_or_create: the data migration's agencies are gone after a browser test's flush.
    return Agency.objects.get_or_create(code=code, defaults={"name": name or code.upper()})[0]


@pytest.fixture
def dinkes(city):
    return agency("dinkes", "Dinas Kesehatan")


@pytest.fixture
def disnaker(city):
    return agency("disnaker", "Dinas Ketenagakerjaan")


@pytest.fixture
def opd_disnaker(city, disnaker):
    # A Disnaker (OPD) user: must see nothing addressed to Dinkes.
    return user_with_role("opd.disnaker", Role.OPD, agency=disnaker)


@pytest.fixture
def make_case(city):
    def make(actor, kelurahan: str = KEL_A, **kwargs) -> Case:
        fields = {
            "category": Category.objects.filter(kind="ppks").order_by("number").first(),
            "source": Case.Source.PSM_FINDING,
            "summary": "RAHASIA-RINGKASAN: lansia hidup sendiri, riwayat kekerasan dalam keluarga.",
            "subject_name": "Ibu Siti Aminah",
            "address": "Jl. Ki Samaun No. 3",
        }
        return case_services.case_open(actor=actor, kelurahan=region(kelurahan), **(fields | kwargs))

    return make


@pytest.fixture
def case_a(make_case, psm_a):
    # A case of kelurahan A, opened (and so held) by psm_a.
    return make_case(psm_a)


@pytest.fixture
def case_b(make_case, psm_b):
    # A case of kelurahan B (another kecamatan), held by psm_b.
    return make_case(psm_b, KEL_B, subject_name="Bapak Joko")


@pytest.fixture
def send(dinkes):
    def make(case: Case, actor, to: Agency | None = None, reason: str = "Pemeriksaan kesehatan lansia") -> Referral:
        return services.referral_send(case=case, agency=to or dinkes, actor=actor, reason=reason)

    return make


@pytest.fixture
def referral_a(case_a, psm_a, send, opd_user):
    # Case A referred to Dinkes by its PSM; opd_user (Dinkes) receives it.
    return send(case_a, psm_a)
