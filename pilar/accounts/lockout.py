"""Sign-in throttling on django-axes: who is locked, and what a locked-out caller sees.

Two limits, both counted over the cool-off window:
- an account from one address (username + address, ``AXES_FAILURE_LIMIT``, 5): someone guessing one
  account's password is stopped, while the same account from the office (another address) still signs in;
- an address across all usernames (``PILAR_LOGIN_ADDRESS_LIMIT``, 30): one guess per account over many
  accounts (password spraying) is stopped too.
A user who proves a second factor (right password + a valid TOTP or recovery code, see ``mfa``) passes both:
an anonymous caller behind the office's shared address can make it wait, never lock the admin out.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address over the cool-off window, whatever the username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_throttled(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.PILAR_LOGIN_ADDRESS_LIMIT


class PilarAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with the second, per-address limit."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or address_throttled(request)

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        already = request is None or getattr(request, "axes_locked_out", False)
        if not already and address_throttled(request):
            request.axes_locked_out = True


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    message = _(
        "Akun terkunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(m)s menit."
    ) % {"m": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    context = {"message": message, "failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return TemplateResponse(request, "accounts/locked.html", context, status=429).render()


def second_factor_proven(request: Any, credentials: dict[str, Any] | None) -> bool:
    """Axes' whitelist: the right password *and* a valid second-factor code pass any lock.

    The code (TOTP or recovery code) is checked once per request and the device kept on the request, so the
    sign-in that follows does not ask for it again (a TOTP code is accepted only once)."""
    cached = getattr(request, "pilar_second_factor", None)
    if cached is not None:
        return cached is not False
    credentials = credentials or {}
    code = credentials.get("otp") or (request.POST.get("otp") if request.method == "POST" else None)
    username, password = credentials.get("username"), credentials.get("password")
    device = None
    if code and username and password:
        from pilar.accounts.mfa import verify_code  # noqa: PLC0415  (axes loads this before the app registry)
        from pilar.accounts.models import User  # noqa: PLC0415

        user = User.objects.filter(username=username, is_active=True).first()
        if user is not None and user.check_password(password):
            device = verify_code(user, code)
    request.pilar_second_factor = device or False
    return device is not None
