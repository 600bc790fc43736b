"""Second factor (django-otp): a TOTP authenticator app, with one-time recovery codes.

Required for the roles that see or decide on the whole city (``MFA_REQUIRED_ROLES``) and for superusers;
optional for the others, but once a user has enrolled, every sign-in asks for the code.
"""

import hashlib
import hmac
from base64 import b32decode, b32encode
from binascii import hexlify

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilar.accounts.models import Role, RoleAssignment, User

MFA_REQUIRED_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.KEUANGAN, Role.PIMPINAN})
TOTP_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode pemulihan"


def mfa_required(user: User) -> bool:
    """Must this user sign in with a second factor? (A role held today, or a superuser.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.current().filter(user=user, role__in=MFA_REQUIRED_ROLES).exists()


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def is_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())  # django-otp is untyped


def secret_b32(device: TOTPDevice) -> str:
    """The device's key as the Base32 text an authenticator app accepts (typed in instead of the QR code)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def key_from_b32(secret: str) -> str:
    """A Base32 secret (any case, spaces allowed) as django-otp's hex key; ValueError when it is not Base32."""
    text = secret.replace(" ", "").upper()
    raw = b32decode(text + "=" * (-len(text) % 8))
    if len(raw) < 10:
        raise ValueError("a TOTP secret needs at least 80 bits")
    return hexlify(raw).decode()


def recovery_digest(code: str) -> str:
    """What is stored of a recovery code: a keyed hash (80 bits, the 16 characters django-otp's token column
    holds). A copy of the database alone gives no usable code, and without ``SECRET_KEY`` the codes' 40 bits
    cannot be searched offline either. Changing ``SECRET_KEY`` voids them: users print new ones."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"pilar.recovery:" + code.strip().lower().encode(), hashlib.sha256)
    return b32encode(digest.digest()[:10]).decode().lower()


def verify_code(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (a TOTP code or an unused recovery code), or None.

    Each device throttles wrong codes itself (django-otp), and a TOTP code or recovery code works once. The
    devices are read ``for_verify`` (row locks) inside one transaction, so two requests racing with the same code
    cannot both pass on PostgreSQL; outside a transaction PostgreSQL refuses the lock outright."""
    code = (code or "").strip().replace(" ", "")
    if not code or len(code) > 20 or not code.isalnum():
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice) and device.verify_token(code):
                return device
            if isinstance(device, StaticDevice) and device.verify_token(recovery_digest(code)):
                return device
    return None


def mark_verified(request: HttpRequest, device: Device) -> None:
    """This session has passed the second factor with ``device``."""
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # django-otp reads the verified device off the user; neither of the request's user types declares it
    request.user.otp_device = device  # type: ignore[union-attr]


def session_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())
