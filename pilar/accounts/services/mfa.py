"""Enrolling, using and resetting the second factor; each step audited."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilar import audit
from pilar.accounts.mfa import RECOVERY_NAME, TOTP_NAME, key_from_b32, recovery_digest
from pilar.accounts.models import ApiToken, User
from pilar.accounts.services.tokens import tokens_revoke_all
from pilar.core.errors import DomainError

RECOVERY_CODES = 10


def mfa_pending_device(*, user: User) -> TOTPDevice:
    """The not-yet-confirmed authenticator being set up (one per user, kept across page reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def _recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    # Shown once to the user; only their keyed hashes are kept (``mfa.recovery_digest``).
    StaticToken.objects.bulk_create([StaticToken(device=device, token=recovery_digest(code)) for code in codes])
    return codes


def _confirm(user: User, device: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _recovery_codes(user)


@transaction.atomic
def mfa_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns the new recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("Pendaftaran autentikator ini tidak berlaku lagi. Muat ulang halaman."), field="code")
    if not device.verify_token((code or "").strip()):
        message = _("Kode tidak cocok. Periksa jam di ponsel dan masukkan kode yang sedang tampil.")
        raise DomainError(message, field="code")
    codes = _confirm(user, device)
    audit.record(user, "accounts.mfa.enrolled", user, data={"device": device.name})
    return codes


@transaction.atomic
def mfa_enrol_with_secret(*, user: User, secret: str, actor: User | None) -> list[str]:
    """Enrol ``user`` with a known Base32 secret (scripted demos and checks: ``seed-demo --mfa-secret``)."""
    try:
        key = key_from_b32(secret)
    except ValueError as exc:
        raise DomainError(_("Rahasia TOTP harus teks Base32 minimal 16 karakter."), field="secret") from exc
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=False)
    codes = _confirm(user, device)
    audit.record(actor, "accounts.mfa.enrolled", user, data={"device": device.name, "by_secret": True})
    return codes


@transaction.atomic
def mfa_recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for an enrolled user; the old ones stop working."""
    codes = _recovery_codes(user)
    audit.record(user, "accounts.mfa.recovery_renewed", user, data={})
    return codes


@transaction.atomic
def mfa_reset(*, user: User, actor: User, reason: str = "") -> None:
    """Remove the user's authenticator and recovery codes (a lost phone): the next sign-in enrols again.

    Their API tokens end too: they were issued on the strength of the second factor being removed."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    tokens_revoke_all(user=user, actor=actor, reason=ApiToken.RevokeReason.MFA)
    audit.record(actor, "accounts.mfa.reset", user, data={"reason": reason})
