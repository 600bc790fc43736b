import pytest
from django.test import Client
from django.utils import timezone

from pilar.accounts.models import ApiToken

LOCAL = "127.0.0.1"


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
