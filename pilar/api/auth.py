"""Bearer tokens for the JSON API: issued for a username and password (and a second factor), stored hashed."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from pilar.accounts.middleware import pending_step
from pilar.accounts.models import ApiToken
from pilar.accounts.services import token_touch
from pilar.core.net import client_ip


class PasswordChangeRequired(Exception):
    """A token limited to the password step was used anywhere else (answered 403 with the way out)."""


class SignedInSession(SessionAuth):
    """The browser's own session, for Pilar's pages and the field app's offline lists: only a session that
    finished every sign-in step (password change, second factor); unsafe methods need the CSRF token."""

    def authenticate(self, request, key):
        # A request that sends a token is judged by that token alone: a revoked or wrong token must answer 401
        # even from a browser that also holds a session.
        if request.headers.get("Authorization"):
            return None
        user = super().authenticate(request, key)
        if user is None or not user.is_active or pending_step(request) is not None:
            return None
        return user


class BearerToken(HttpBearer):
    """A valid token of an active user. ``limited_ok``: also a token limited to the password step."""

    def __init__(self, *, limited_ok: bool = False) -> None:
        super().__init__()
        self.limited_ok = limited_ok

    def authenticate(self, request, token: str):
        if "\x00" in token or len(token) > 200:
            return None
        found = ApiToken.objects.valid().select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        limited = found.scope != ApiToken.Scope.FULL or found.user.must_change_password
        if limited and not self.limited_ok:
            raise PasswordChangeRequired(
                _("Ganti dulu kata sandi sementara Anda (POST /api/v1/auth/password); token ini hanya untuk itu.")
            )
        token_touch(token=found, ip=client_ip(request))
        request.user = found.user
        request.api_token = found
        return found.user
