"""The API client helper of the API tests, for the program endpoints."""

from tests.api.conftest import api_as  # noqa: F401
