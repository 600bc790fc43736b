"""The steps between a right password and the application: a forced password change, then the second factor.

A session that signed in with its password but still owes a step may open only the pages of that step (and
sign out); every other page sends it there. The API checks the same with its tokens (``pilar.api.auth``).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from pilar.accounts.mfa import is_enrolled, mfa_required, session_verified
from pilar.accounts.permissions import signed_in

# Set once a session is known to owe no second factor (a role without MFA, not enrolled), to spare the
# queries on every page; a new sign-in (a new session) asks again.
NO_MFA_KEY = "pilar_mfa_not_needed"


def note_second_factor_at_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At a page sign-in, decide once whether this session will owe a second factor at all."""
    session = getattr(request, "session", None)
    if session is None or request.path.startswith("/api/"):
        return
    if not getattr(user, "otp_device", None) and not is_enrolled(user) and not mfa_required(user):
        session[NO_MFA_KEY] = True


def pending_step(request: HttpRequest) -> str | None:
    """The URL name of the step this signed-in session must finish first, or None."""
    user = signed_in(request)
    if user.must_change_password:
        return "password_change"
    if session_verified(request) or request.session.get(NO_MFA_KEY):
        return None
    if is_enrolled(user):
        return "otp_verify"
    if mfa_required(user):
        return "mfa_enrol"
    request.session[NO_MFA_KEY] = True
    return None


class SignInStepsMiddleware:
    OPEN_STEPS = ("password_change", "password_change_done", "otp_verify", "mfa_enrol", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.open_prefixes = ("/" + settings.STATIC_URL.lstrip("/"), "/api/", "/i18n/")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated and not request.path.startswith(self.open_prefixes):
            step = pending_step(request)
            if step is not None:
                allowed = {reverse(name) for name in self.OPEN_STEPS}
                if step == "otp_verify":
                    allowed.discard(reverse("password_change"))
                if request.path not in allowed:
                    return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)
