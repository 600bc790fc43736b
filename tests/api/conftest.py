import pytest
from django.test import Client

from pilar.accounts.models import ApiToken


@pytest.fixture
def api_as():
    """A test client that sends a Bearer token for ``user`` (None: no token at all)."""

    def make(user):
        if user is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})

    return make
