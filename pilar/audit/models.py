"""The audit trail of domain changes and the log of views of personal data (UU PDP)."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChainedRow(models.Model):
    """A row of an append-only table, linked to the one before it by a SHA-256 hash (``pilar.audit.chain``).

    ``seq`` is the row's place in its chain, ``prev_hash`` the hash of the row before, ``row_hash`` the hash
    of ``prev_hash`` and this row's content. Database triggers refuse UPDATE and DELETE on these tables."""

    seq = models.PositiveBigIntegerField(_("urutan"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at: Any  # every chained table has its own timestamp field

    class Meta:
        abstract = True


class ChainHead(models.Model):
    """The last link of each chain: locked while a row is added, so concurrent writers form one line."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} #{self.seq}"


class AuditEntry(ChainedRow):
    """One change to one record: who, when, what, old → new (identifiers masked)."""

    # Set before the row is hashed (not auto_now_add, which would change it after).
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("pelaku")
    )
    action = models.CharField(_("tindakan"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("rekaman"), max_length=200)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class PersonalDataAccess(ChainedRow):
    """A view of a person's personal data: a record page, an API read, a list or an export."""

    class Channel(models.TextChoices):
        PAGE = "page", _("halaman")
        API = "api", _("API")
        EXPORT = "export", _("ekspor")

    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("pengguna"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # For lists and exports: how many persons were shown and with which filter.
    subject_count = models.PositiveIntegerField(default=1)
    unmasked = models.BooleanField(_("NIK tampil utuh"), default=False)
    path = models.CharField(max_length=300, blank=True)
    query = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.channel} {self.object_id}"
