from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with a client's key (``pilar.core.idempotency``): a replay of the same
    key by the same user gets this answer again instead of doing the work twice. Kept until ``expires_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    path = models.CharField(max_length=500)  # the address the key was first sent to
    status_code = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=1000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.status_code}"
