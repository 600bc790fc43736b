"""Every change to accounts: one keyword-only function each, in a transaction, with its audit entry."""

from pilar.accounts.services.mfa import (
    mfa_enrol_confirm,
    mfa_enrol_with_secret,
    mfa_pending_device,
    mfa_recovery_codes_renew,
    mfa_reset,
)
from pilar.accounts.services.passwords import password_change, password_set_temporary, temporary_password
from pilar.accounts.services.tokens import token_issue, token_revoke, token_touch, tokens_revoke_all

__all__ = [
    "mfa_enrol_confirm",
    "mfa_enrol_with_secret",
    "mfa_pending_device",
    "mfa_recovery_codes_renew",
    "mfa_reset",
    "password_change",
    "password_set_temporary",
    "temporary_password",
    "token_issue",
    "token_revoke",
    "token_touch",
    "tokens_revoke_all",
]
