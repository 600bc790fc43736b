"""``api_as`` lives in the root conftest (tests/conftest.py); re-exported for test modules that import it here."""

from tests.conftest import api_as  # noqa: F401
