"""Tokens: issue (password, then the second factor), list, revoke, log out; the password step."""

from datetime import datetime

from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from pilar.accounts import mfa, signals
from pilar.accounts.models import ApiToken, User
from pilar.accounts.permissions import Perm, can
from pilar.accounts.services import password_change, token_issue, token_revoke
from pilar.api.auth import BearerToken
from pilar.core.net import client_ip

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str
    otp: str | None = None  # a TOTP code or a recovery code, for a user with verification in two steps


class TokenOut(Schema):
    token: str
    scope: str
    password_change_required: bool


class ErrorOut(Schema):
    detail: str


class TokenInfo(Schema):
    id: int
    user: str
    scope: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    last_used_ip: str | None
    current: bool


class PasswordIn(Schema):
    username: str | None = None
    old_password: str
    new_password: str


class Done(Schema):
    detail: str


WRONG = _("Nama pengguna atau kata sandi salah, atau akun terkunci sementara.")


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut})
def token(request, credentials: Credentials):
    """Tukar nama pengguna dan kata sandi (dan `otp` bila akun memakai verifikasi dua langkah) dengan token Bearer.

    Pengguna yang wajib mengganti kata sandi sementara mendapat token yang hanya berlaku untuk
    `POST /api/v1/auth/password`."""
    user = authenticate(request, username=credentials.username, password=credentials.password, otp=credentials.otp)
    if user is None:
        return Status(401, {"detail": str(WRONG)})
    scope = ApiToken.Scope.PASSWORD_CHANGE if user.must_change_password else ApiToken.Scope.FULL
    if scope == ApiToken.Scope.FULL and (mfa.is_enrolled(user) or mfa.mfa_required(user)):
        if not mfa.is_enrolled(user):
            return Status(
                403,
                {
                    "detail": _(
                        "Akun ini wajib memakai verifikasi dua langkah: "
                        "aktifkan MFA dulu dengan masuk lewat halaman Pilar."
                    )
                },
            )
        device = getattr(request, "pilar_second_factor", None)
        if device is None and credentials.otp:  # the lockout whitelist did not look at it
            device = mfa.verify_code(user, credentials.otp)
        if not device:
            signals.otp_failed.send(sender=User, request=request, user=user)
            return Status(
                401,
                {
                    "detail": _(
                        "Kode verifikasi (otp) wajib diisi atau salah: kirim kode 6 angka dari aplikasi autentikator."
                    )
                },
            )
    key = token_issue(user=user, ip=client_ip(request), scope=scope)
    user_logged_in.send(sender=User, request=request, user=user)  # last_login, lockout reset, audit
    return Status(200, {"token": key, "scope": scope, "password_change_required": user.must_change_password})


@router.post("/logout", auth=BearerToken(limited_ok=True), response={200: Done})
def logout(request):
    """Cabut token yang dipakai untuk panggilan ini."""
    token_revoke(token=request.api_token, actor=request.user, reason=ApiToken.RevokeReason.LOGOUT)
    return Status(200, {"detail": _("Token dicabut.")})


def _info(request, token: ApiToken) -> dict:
    current = getattr(request, "api_token", None)
    return {
        "id": token.pk,
        "user": token.user.username,
        "scope": token.scope,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "last_used_ip": token.last_used_ip,
        "current": current is not None and current.pk == token.pk,
    }


@router.get("/tokens", response=list[TokenInfo])
def list_tokens(request):
    """Token Anda yang masih berlaku."""
    tokens = ApiToken.objects.valid().filter(user=request.user).select_related("user")
    return [_info(request, t) for t in tokens]


@router.delete("/tokens/{token_id}", response={200: Done, 404: ErrorOut})
def revoke_token(request, token_id: int):
    """Cabut satu token: milik Anda sendiri, atau milik siapa pun bagi Admin Dinsos."""
    tokens = ApiToken.objects.valid()
    if not can(request.user, Perm.USER_MANAGE):
        tokens = tokens.filter(user=request.user)
    found = get_object_or_404(tokens, pk=token_id)
    own = found.user_id == request.user.pk
    reason = ApiToken.RevokeReason.USER if own else ApiToken.RevokeReason.ADMIN
    token_revoke(token=found, actor=request.user, reason=reason)
    return Status(200, {"detail": _("Token dicabut.")})


@router.post(
    "/password",
    auth=[BearerToken(limited_ok=True), lambda request: True],
    response={200: Done, 400: ErrorOut, 401: ErrorOut},
)
def change_password(request, payload: PasswordIn):
    """Ganti kata sandi: dengan token (juga token khusus langkah ini) atau dengan nama pengguna dan kata sandi lama.

    Token lain milik pengguna itu dicabut; token yang dipakai untuk panggilan ini tetap berlaku penuh."""
    current = getattr(request, "api_token", None)
    username = current.user.username if current is not None else (payload.username or "")
    user = authenticate(request, username=username, password=payload.old_password)
    if user is None:
        return Status(401, {"detail": str(WRONG)})
    try:
        password_change(user=user, new_password=payload.new_password, actor=user, keep_token=current)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    return Status(200, {"detail": _("Kata sandi sudah diganti.")})
