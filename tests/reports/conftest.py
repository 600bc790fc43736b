"""Registry records for the dashboard tests, built through the services (events, audit) like real ones."""

import pytest
from django.utils import timezone

from pilar.accounts.models import Role
from pilar.registry import services
from pilar.registry.models import PpksRecord
from pilar.rights.services import person_restrict
from tests.conftest import KEL_A, KEL_A2, KEL_B
from tests.factories import user_with_role
from tests.registry.makers import POOR_FAMILY, household_in, propose


@pytest.fixture
def reporter(city):
    # Proposes; the checker verifies and validates (nobody checks their own proposal).
    return user_with_role("operator.pelapor", Role.OPERATOR)


@pytest.fixture
def checker(city):
    return user_with_role("operator.pemeriksa", Role.OPERATOR)


def validated(reporter, checker, kelurahan_code=KEL_A, **kwargs) -> PpksRecord:
    record = propose(reporter, kelurahan_code=kelurahan_code, **kwargs)
    services.ppks_verify(record=record, actor=checker, result="ditemukan")
    return services.ppks_validate(record=record, actor=checker)


@pytest.fixture
def registry(reporter, checker):
    """Records in every status in A, A2 and B, a family record, an exited one, and two restricted persons."""
    for code in (KEL_A, KEL_A, KEL_A2, KEL_B, KEL_B):
        validated(reporter, checker, code)
    validated(reporter, checker, KEL_A, household=household_in(KEL_A), category=POOR_FAMILY)
    propose(reporter, kelurahan_code=KEL_A)
    services.ppks_verify(record=propose(reporter, kelurahan_code=KEL_B), actor=checker, result="ditemukan")
    gone = validated(reporter, checker, KEL_A2)
    services.ppks_exit(record=gone, actor=checker, on=timezone.localdate(), reason="pindah")
    for code in (KEL_A, KEL_B):
        hidden = validated(reporter, checker, code)
        person_restrict(person=hidden.person, actor=checker, reason="permintaan subjek data")
