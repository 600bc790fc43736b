"""Program test fixtures: the shipped programs (reloaded after a transactional test's flush) and the API client."""

import pytest

from pilar.programs.models import Program
from pilar.regional.loader import load_shipped_pack


@pytest.fixture(autouse=True)
def programs(city):
    # A data migration's rows: gone after a transactional test flushed the database.
    if not Program.objects.exists():
        load_shipped_pack("36.71")
