"""Password changes and temporary passwords: each ends the user's other API tokens."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from pilar import audit
from pilar.accounts.models import ApiToken, User
from pilar.accounts.services.tokens import tokens_revoke_all

# Letters and digits that cannot be mistaken for each other on a printed letter (no 0/O, 1/l/I).
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEMP_PASSWORD_LENGTH = 14


def temporary_password() -> str:
    """A random one-time password, read aloud or printed on a login letter (~80 bits)."""
    return "-".join("".join(secrets.choice(_TEMP_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH // 2)) for _ in range(2))


@transaction.atomic
def password_change(*, user: User, new_password: str, actor: User | None, keep_token: ApiToken | None = None) -> User:
    """Set the user's own new password (validated). Ends every API token except ``keep_token``, the one that
    made the change: it was issued for this very step and is now a full token."""
    validate_password(new_password, user)
    was_temporary = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    tokens_revoke_all(user=user, actor=actor, reason=ApiToken.RevokeReason.PASSWORD, keep=keep_token)
    if keep_token is not None and keep_token.scope != ApiToken.Scope.FULL:
        keep_token.scope = ApiToken.Scope.FULL
        keep_token.save(update_fields=["scope"])
    audit.record(actor, "accounts.password.changed", user, data={"was_temporary": was_temporary})
    return user


@transaction.atomic
def password_set_temporary(*, user: User, actor: User) -> str:
    """A new one-time password for ``user``, shown once to the admin: the user must change it at first login."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    tokens_revoke_all(user=user, actor=actor, reason=ApiToken.RevokeReason.PASSWORD)
    audit.record(actor, "accounts.password.reset", user, data={})
    return password
