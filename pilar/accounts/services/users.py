"""Accounts managed inside Pilar: create, deactivate, sessions, roles that follow the workforce registry."""

from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Agency, ApiToken, LoginSession, Role, RoleAssignment, User
from pilar.accounts.services.passwords import temporary_password
from pilar.accounts.services.tokens import tokens_revoke_all
from pilar.core.errors import DomainError
from pilar.regions.models import Region

AREA_ROLES = (Role.PSM, Role.TKSK)


def _session_store() -> Any:  # the configured engine's SessionStore class
    return import_module(settings.SESSION_ENGINE).SessionStore


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    role: str,
    region: Region | None = None,
    agency: Agency | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    email: str = "",
) -> tuple[User, str]:
    """A new account with one role assignment and a temporary password (returned once, never stored)."""
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username}, field="username")
    password = temporary_password()
    user = User(username=username, full_name=full_name.strip(), email=email.strip(), must_change_password=True)
    user.set_password(password)
    user.save()
    grant = RoleAssignment(
        user=user,
        role=role,
        region=region,
        agency=agency,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
    )
    grant.full_clean(exclude=["user"])
    grant.save()
    audit.record(actor, "accounts.user.created", user, data={"role": role, "area": str(region or agency or "")})
    return user, password


def _end_sessions(user: User) -> int:
    store = _session_store()
    sessions = list(LoginSession.objects.filter(user=user))
    for session in sessions:
        store(session_key=session.session_key).delete()
    LoginSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
    return len(sessions)


@transaction.atomic
def sessions_end(*, user: User, actor: User, session: LoginSession | None = None) -> int:
    """Sign ``user`` out of one browser session, or of all of them."""
    if session is not None:
        _session_store()(session_key=session.session_key).delete()
        session.delete()
        count = 1
    else:
        count = _end_sessions(user)
    audit.record(actor, "accounts.sessions.ended", user, data={"count": count})
    return count


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None, reason: str) -> User:
    """The account can no longer sign in: its sessions and API tokens end at once."""
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens_revoke_all(user=user, actor=actor, reason=ApiToken.RevokeReason.DEACTIVATED)
    ended = _end_sessions(user)
    audit.record(actor, "accounts.user.deactivated", user, data={"reason": reason, "sessions": ended})
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User) -> tuple[User, str]:
    """Open a deactivated account again, with a new temporary password."""
    password = temporary_password()
    user.is_active, user.must_change_password = True, True
    user.set_password(password)
    user.save(update_fields=["is_active", "must_change_password", "password"])
    audit.record(actor, "accounts.user.reactivated", user, data={})
    return user, password


@transaction.atomic
def area_role_follow(
    *, user: User, actor: User | None, role: str, region: Region | None, on: date | None = None
) -> bool:
    """Make ``user``'s current PSM/TKSK assignment be ``role`` over ``region`` from ``on`` (a worker moved).

    The old assignment ends the day before (or is corrected in place if it began that day); API tokens end,
    as for any role change. Returns whether anything changed."""
    on = on or timezone.localdate()
    current = list(RoleAssignment.objects.current(on).filter(user=user, role__in=AREA_ROLES))
    if len(current) == 1 and current[0].role == role and current[0].region_id == getattr(region, "pk", None):
        return False
    for grant in current:
        if grant.valid_from >= on:
            grant.delete()
        else:
            grant.valid_until = on - timedelta(days=1)
            grant.save(update_fields=["valid_until", "updated_at"])
    RoleAssignment.objects.create(user=user, role=role, region=region, valid_from=on)
    tokens_revoke_all(user=user, actor=actor, reason=ApiToken.RevokeReason.ROLE)
    audit.record(actor, "accounts.user.area_followed", user, data={"role": role, "area": str(region)})
    return True
