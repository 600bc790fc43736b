"""API tokens: issued, used, revoked; each step in the audit trail."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from pilar import audit
from pilar.accounts.models import ApiToken, User

# A token's last use is written at most this often: one write per API call would double the cost of a read.
TOUCH_EVERY = timedelta(minutes=1)


@transaction.atomic
def token_issue(*, user: User, ip: str | None, scope: str = ApiToken.Scope.FULL) -> str:
    """A new key for ``user``; only its hash is kept."""
    key = ApiToken.issue(user, scope=scope, ip=ip)
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    audit.record(user, "accounts.token.issued", token, data={"scope": scope, "ip": ip})
    return key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None, reason: str) -> ApiToken:
    """End one token now. Revoking a revoked token changes nothing and writes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_reason = timezone.now(), reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(actor, "accounts.token.revoked", token, data={"reason": reason, "user": token.user.username})
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User, actor: User | None, reason: str, keep: ApiToken | None = None) -> int:
    """End every valid token of ``user`` (except ``keep``, the one making the change); one audit entry."""
    tokens = ApiToken.objects.valid().filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    count = tokens.update(revoked_at=timezone.now(), revoked_reason=reason)
    if count:
        audit.record(actor, "accounts.tokens.revoked", user, data={"reason": reason, "count": count})
    return count


def token_touch(*, token: ApiToken, ip: str | None) -> None:
    """Note a use of ``token``: its last use and address, and an audit entry when it is used from a new address."""
    now = timezone.now()
    new_address = ip != token.last_used_ip
    if not new_address and token.last_used_at and now - token.last_used_at < TOUCH_EVERY:
        return
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
        if new_address:
            audit.record(token.user, "accounts.token.used", token, data={"ip": ip})
    token.last_used_at, token.last_used_ip = now, ip
