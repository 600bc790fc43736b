"""Password reset by a link sent by e-mail (Django's token generator), through the mail outbox.

The link works once (it is bound to the password hash it was made for) and for ``PASSWORD_RESET_TIMEOUT``.
A request answers the same whether or not the address belongs to an account: the page cannot be used to find
out who works at the office. Requests are counted per client address and per address typed, from the audit
trail itself (one entry per request, shared by every app process), and refused past the limit.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.accounts.services.passwords import password_change
from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError

REQUESTED = "accounts.password_reset.requested"
WINDOW = timedelta(hours=1)


class ResetRefused(DomainError):
    def __init__(self, message: str):
        super().__init__(message, code="rate_limited")


def email_key(email: str) -> str:
    """A keyed hash of an address as typed: enough to count requests for it, not to read it back."""
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _check_rate(*, ip: str | None, key: str) -> None:
    recent = AuditEntry.objects.filter(action=REQUESTED, created_at__gte=timezone.now() - WINDOW)
    if ip and recent.filter(data__ip=ip).count() >= settings.PILAR_PASSWORD_RESET_ADDRESS_LIMIT:
        raise ResetRefused(_("Terlalu banyak permintaan atur ulang kata sandi dari alamat Anda. Coba lagi nanti."))
    if recent.filter(data__email_key=key).count() >= settings.PILAR_PASSWORD_RESET_EMAIL_LIMIT:
        raise ResetRefused(
            _(
                "Tautan untuk alamat surel ini sudah beberapa kali dikirim. Periksa kotak masuk "
                "Anda, atau coba lagi dalam satu jam."
            )
        )


def reset_link(user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    return base_url.rstrip("/") + path


def _queue_link(user: User, base_url: str) -> None:
    # The outbox belongs to notifications, which builds on accounts: imported here, where it is used.
    from pilar.notifications.mail import mail_queue

    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    context = {"user": user, "link": reset_link(user, base_url), "hours": hours}
    mail_queue(
        to=user.email,
        subject=_("Atur ulang kata sandi Pilar"),
        body=render_to_string("accounts/password_reset_email.txt", context),
    )


def _resettable(email: str) -> list[User]:
    found = User.objects.filter(email__iexact=email.strip(), is_active=True)
    return [user for user in found if user.has_usable_password() and user.email]


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None, base_url: str) -> int:
    """Someone asks for a link for ``email``: each active account with that address gets one. Returns how many
    (for tests and the audit trail only; the page says the same in every case)."""
    key = email_key(email)
    _check_rate(ip=ip, key=key)
    users = _resettable(email)
    for user in users:
        _queue_link(user, base_url)
    audit.record_for(
        None,
        REQUESTED,
        model=User,
        object_id=",".join(str(u.pk) for u in users)[:64],
        object_repr="",
        data={"ip": ip, "email_key": key, "accounts": len(users)},
    )
    return len(users)


@transaction.atomic
def password_reset_link_send(*, user: User, actor: User, base_url: str) -> None:
    """The Admin sends ``user`` a reset link instead of showing a temporary password."""
    if not user.email or not user.is_active:
        raise DomainError(_("Akun ini tidak aktif atau tidak memiliki alamat surel."))
    _queue_link(user, base_url)
    audit.record(actor, "accounts.password_reset.sent", user, data={})


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str) -> User:
    """The new password chosen through a link: as any password change, it ends the user's API tokens."""
    password_change(user=user, new_password=new_password, actor=user)
    audit.record(user, "accounts.password_reset.completed", user, data={})
    return user


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST) or settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")


def link_base(request: HttpRequest) -> str:
    """``PILAR_BASE_URL`` when set (the address residents and staff know), else the address of this request."""
    return settings.PILAR_BASE_URL or request.build_absolute_uri("/")
