"""Users, their roles with an area and validity dates, agencies (OPD) and API tokens."""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.core.models import ProtectedKey, TimeStampedModel, span_ordered


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin Dinsos")
    OPERATOR = "operator", _("Operator Dinsos")
    PIMPINAN = "pimpinan", _("Pimpinan")
    TKSK = "tksk", _("TKSK")
    PSM = "psm", _("PSM")
    OPD = "opd", _("OPD")
    # The finance staff who check and approve the payroll that an operator generated (maker-checker).
    KEUANGAN = "keuangan", _("Keuangan Dinsos")


# Roles whose area is the whole configured kota/kabupaten.
CITY_WIDE_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.KEUANGAN})


class User(AbstractUser):
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    # Set for an account created or reset with a temporary password: until the user chooses their own,
    # every page and API call except the password change answers with the way there.
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username


# A record's key to the user who did something to it (proposed, decided, uploaded, recorded…).
user_key: ProtectedKey[User] = ProtectedKey(settings.AUTH_USER_MODEL)


class Agency(TimeStampedModel):
    """A city agency (OPD) that receives referrals: Dinkes, Disnaker, DP3AP2KB, ..."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")

    def __str__(self) -> str:
        return self.name


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, on: date | None = None) -> "RoleAssignmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class RoleAssignment(TimeStampedModel):
    """A role held by a user over an area (kecamatan for TKSK, kelurahan for PSM) or an agency (OPD)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("wilayah")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("OPD"))
    valid_from = models.DateField(_("berlaku sejak"), default=timezone.localdate)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")
        constraints = [
            span_ordered("valid_from", "valid_until", name="role_assignment_dates_ordered"),
            models.CheckConstraint(
                condition=~Q(role__in=["tksk", "psm"]) | Q(region__isnull=False),
                name="role_assignment_area_roles_have_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="opd") | Q(agency__isnull=False),
                name="role_assignment_opd_has_agency",
            ),
        ]

    def __str__(self) -> str:
        where = self.region or self.agency or ""
        return f"{self.get_role_display()} {where}".strip()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def valid(self) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now(), revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    class Scope(models.TextChoices):
        FULL = "full", _("penuh")
        # Issued to a user who must first change a temporary password: opens nothing but that step.
        PASSWORD_CHANGE = "password", _("hanya ganti kata sandi")

    class RevokeReason(models.TextChoices):
        LOGOUT = "logout", _("keluar")
        USER = "user", _("dicabut pengguna")
        ADMIN = "admin", _("dicabut admin")
        PASSWORD = "password", _("kata sandi diganti")
        DEACTIVATED = "deactivated", _("akun dinonaktifkan")
        ROLE = "role", _("peran diubah")
        MFA = "mfa", _("MFA diatur ulang")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices, default=Scope.FULL)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_ip = models.GenericIPAddressField(_("alamat pembuat"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("alamat terakhir"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan dicabut"), max_length=12, choices=RevokeReason.choices, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"token {self.user} s.d. {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, *, scope: str = Scope.FULL, ip: str | None = None) -> str:
        """A new key for ``user`` (unaudited: ``accounts.services.token_issue`` is the audited way)."""
        key = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            key_hash=cls.hash(key),
            scope=scope,
            created_ip=ip,
            expires_at=timezone.now() + timedelta(hours=settings.PILAR_API_TOKEN_HOURS),
        )
        return key


class LoginSession(models.Model):
    """A signed-in browser session, so that an admin can see a user's sessions and end them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(_("alamat"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("masuk"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sesi masuk")
        verbose_name_plural = _("sesi masuk")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
