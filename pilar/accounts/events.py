"""Sign-in events in the audit trail: sign-ins, failed sign-ins, sign-outs, wrong second-factor codes."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from pilar import audit
from pilar.accounts.models import LoginSession, User
from pilar.core.net import client_ip


def _channel(request: HttpRequest | None) -> str:
    return "api" if request is not None and request.path.startswith("/api/") else "page"


def _data(request: HttpRequest | None, **extra: Any) -> dict[str, Any]:
    return {"ip": client_ip(request), "channel": _channel(request), **extra}


def on_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(user, "accounts.login", user, data=_data(request))
        session = getattr(request, "session", None)
        if session is not None and _channel(request) == "page":
            if session.session_key is None:
                session.save()
            LoginSession.objects.update_or_create(
                session_key=session.session_key,
                defaults={
                    "user": user,
                    "ip": client_ip(request),
                    "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
                },
            )


def on_logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is None or not user.pk:
        return
    with transaction.atomic():
        key = getattr(getattr(request, "session", None), "session_key", None)
        if key:
            LoginSession.objects.filter(session_key=key).delete()
        audit.record(user, "accounts.logout", user, data=_data(request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A wrong password (or a locked account). The username is kept as typed, the password never."""
    username = str(credentials.get("username") or "")[:150]
    user = User.objects.filter(username=username).first() if username else None
    locked = bool(getattr(request, "axes_locked_out", False))
    with transaction.atomic():
        audit.record_for(
            None,
            "accounts.login_failed",
            model=User,
            object_id=str(user.pk) if user else "",
            object_repr=username,
            data=_data(request, locked=locked),
        )


def on_otp_failed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(None, "accounts.otp_failed", user, data=_data(request))


def connect() -> None:
    from django.contrib.auth import signals as auth_signals

    from pilar.accounts import signals

    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="pilar.audit.login")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="pilar.audit.logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="pilar.audit.login_failed")
    signals.otp_failed.connect(on_otp_failed, dispatch_uid="pilar.audit.otp_failed")
