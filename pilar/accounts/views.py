"""Sign-in pages: the password step, the second factor and its enrolment, the password change."""

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pilar.accounts import mfa, signals
from pilar.accounts.forms import CodeForm, LoginForm
from pilar.accounts.permissions import signed_in
from pilar.accounts.services import mfa_enrol_confirm, mfa_pending_device, password_change
from pilar.core.errors import DomainError


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if safe and target else "/"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # A lock was passed with a second factor (pilar.accounts.lockout): that sign-in is already verified.
        device = getattr(self.request, "pilar_second_factor", None)
        if device:
            # django-otp reads the verified device off the user at sign-in; the model does not declare it
            form.get_user().otp_device = device  # type: ignore[attr-defined]
        return super().form_valid(form)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step for a user with an authenticator: a TOTP code or a recovery code."""
    user = signed_in(request)  # @login_required
    if mfa.session_verified(request) or not mfa.is_enrolled(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = mfa.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            mfa.mark_verified(request, device)
            if device.name == mfa.RECOVERY_NAME:
                left = device.token_set.count()
                messages.warning(request, _("Kode pemulihan terpakai; tersisa %(n)d.") % {"n": left})
            return redirect(_next(request))
        signals.otp_failed.send(sender=type(user), request=request, user=user)
        form.add_error("code", _("Kode salah atau sudah dipakai. Coba kode yang sedang tampil di aplikasi."))
    return TemplateResponse(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code."""
    user = signed_in(request)  # @login_required
    if mfa.is_enrolled(user) and not mfa.session_verified(request):
        return redirect("otp_verify")
    device = mfa_pending_device(user=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = mfa_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            device.refresh_from_db()
            mfa.mark_verified(request, device)
            context: dict[str, Any] = {"codes": codes, "next": _next(request)}
            return TemplateResponse(request, "accounts/mfa_recovery_codes.html", context)
    context = {
        "form": form,
        "next": _next(request),
        "secret": mfa.secret_b32(device),
        "qr": segno.make(device.config_url, error="m").svg_inline(omitsize=True, border=2, title="QR"),
        "required": mfa.mfa_required(user),
    }
    return TemplateResponse(request, "accounts/mfa_enrol.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, saving through the service: the password change ends the user's API tokens too."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form: Any) -> HttpResponse:
        signed = signed_in(self.request)  # the view is login-required
        user = password_change(user=signed, new_password=form.cleaned_data["new_password1"], actor=signed)
        update_session_auth_hash(self.request, user)
        return redirect(self.get_success_url())
