"""Shared personas. Every page and endpoint test speaks of these people."""

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from pilar.accounts.models import Agency, ApiToken, Role
from pilar.regions.loader import load_region
from pilar.regions.models import Region
from pilar.registry.models import Category
from pilar.registry.reference import load_categories
from tests.browser.fixtures import (  # noqa: F401  (browser tests)
    chromium,
    live_server_serial_on_sqlite,
    new_page,
    pytest_runtest_makereport,
)
from tests.factories import psm_user, user_with_role
from tests.signin import PilarClient

KEL_A = "36.71.01.1001"  # Sukarasa, Kecamatan Tangerang
KEL_A2 = "36.71.01.1002"  # Sukaasih, the same kecamatan as A
KEL_B = "36.71.03.1001"  # a kelurahan of Kecamatan Batuceper
KEC_A = "36.71.01"
KEC_B = "36.71.03"
PASSWORD = "rahasia-pilar-123"

# Property tests judge behaviour, not speed: on a busy CI machine the default deadline and the "too slow"
# health check fail tests whose code is right.
settings.register_profile("pilar", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("pilar")
LOCAL = "127.0.0.1"  # the test client's address


@pytest.fixture
def client():
    """Django's test client; ``force_login`` also completes the second factor of staff (tests/signin.py)."""
    return PilarClient()


@pytest.fixture
def api_as():
    """A test client that sends a Bearer token for ``user`` (None: no token at all)."""

    def make(user):
        if user is None:
            return Client()
        key = ApiToken.issue(user)
        # As if already used from the test client's address: the first call then runs the same queries as the
        # next ones (a token's first use from an address writes its last use and an audit entry).
        ApiToken.objects.filter(key_hash=ApiToken.hash(key)).update(last_used_at=timezone.now(), last_used_ip=LOCAL)
        return Client(headers={"Authorization": f"Bearer {key}"})

    return make


@pytest.fixture
def city(db):
    """Kota Tangerang's 13 kecamatan and 104 kelurahan (loaded once; browser tests flush them)."""
    if not Region.objects.filter(code="36.71").exists():
        load_region("36.71")
    if not Category.objects.exists():
        load_categories(Category)  # a data migration's rows, also gone after a flush
    return Region.objects.get(code="36.71")


@pytest.fixture
def psm_a(city):
    # A PSM of kelurahan A (Sukarasa); has a worker record of their own.
    return psm_user("psm.a", KEL_A)


@pytest.fixture
def psm_b(city):
    # A PSM of kelurahan B (another kecamatan) who must see nothing of A's.
    return psm_user("psm.b", KEL_B)


@pytest.fixture
def tksk_a(city):
    # The TKSK of A's kecamatan (Tangerang): sees every kelurahan of that kecamatan.
    return user_with_role("tksk.a", Role.TKSK, region_code=KEC_A)


@pytest.fixture
def operator(city):
    # A Dinsos operator: manages the registry city-wide and sees full NIKs.
    return user_with_role("operator", Role.OPERATOR)


@pytest.fixture
def admin_user(city):
    # An Admin Dinsos: everything an operator can, plus accounts.
    return user_with_role("admin", Role.ADMIN)


@pytest.fixture
def pimpinan(city):
    # The head of office: reads city-wide, changes nothing, NIKs masked.
    return user_with_role("pimpinan", Role.PIMPINAN)


@pytest.fixture
def opd_user(city):
    # A Dinkes (OPD) user: sees only what is addressed to the agency.
    agency, _ = Agency.objects.get_or_create(code="dinkes", defaults={"name": "Dinas Kesehatan"})
    return user_with_role("opd.dinkes", Role.OPD, agency=agency)
