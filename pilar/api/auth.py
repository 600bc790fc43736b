"""Bearer tokens for the JSON API: issued for a username and password, stored hashed."""

from django.contrib.auth import authenticate
from django.utils import timezone
from ninja.security import HttpBearer

from pilar.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.objects.valid().select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user


def issue_token(request, username: str, password: str) -> str | None:
    """A new token, or None for wrong credentials (counted by the login lockout like the login page)."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return ApiToken.issue(user)
