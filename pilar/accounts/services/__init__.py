"""Every change to accounts: one keyword-only function each, in a transaction, with its audit entry."""

from pilar.accounts.services.passwords import password_change, password_set_temporary, temporary_password
from pilar.accounts.services.tokens import token_issue, token_revoke, token_touch, tokens_revoke_all

__all__ = [
    "password_change",
    "password_set_temporary",
    "temporary_password",
    "token_issue",
    "token_revoke",
    "token_touch",
    "tokens_revoke_all",
]
