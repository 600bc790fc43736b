from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # django-stubs: a development dependency

_M = TypeVar("_M", bound=models.Model)


class ProtectedKey(Generic[_M]):
    """The keys of many records to one model whose rows stay while records name them (``PROTECT``), without a
    reverse accessor from the row to each such column unless the column names one (``related_name``). Each
    column says only its verbose name and what differs (``null`` and ``blank`` for a step not taken yet,
    ``db_index``/``db_constraint`` where its table was made so); typed as Django's own key would be (the model,
    or ``None`` with ``null=True``)."""

    def __init__(self, to: str):
        self.to = to

    @overload
    def __call__(
        self, verbose_name: "StrOrPromise | None" = None, *, null: Literal[False] = False, **options: Any
    ) -> "models.ForeignKey[_M | Combinable, _M]": ...
    @overload
    def __call__(
        self, verbose_name: "StrOrPromise | None" = None, *, null: Literal[True], **options: Any
    ) -> "models.ForeignKey[_M | Combinable | None, _M | None]": ...
    def __call__(
        self, verbose_name: "StrOrPromise | None" = None, *, null: bool = False, related_name: str = "+", **options: Any
    ) -> Any:
        return models.ForeignKey(
            self.to,
            on_delete=models.PROTECT,
            related_name=related_name,
            verbose_name=verbose_name,
            null=null,
            **options,
        )


def span_ordered(start: str, end: str, name: str) -> models.CheckConstraint:
    """A span from the ``start`` column to the ``end`` column, ``end`` empty while it is open: it never ends
    before it starts."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gte": models.F(start)}), name=name
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class StepEvent(models.Model):
    """One step of a record's workflow: what was done, from which status to which, by whom, when and why.

    Each app's history model adds the foreign key to its record (``related_name="events"``); where its columns
    were made otherwise (longer statuses, an actor without a constraint) it redeclares just those fields, so
    that the tables stay as they are."""

    action = models.CharField(_("tindakan"), max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    at = models.DateTimeField(_("waktu"))
    reason = models.TextField(_("alasan/catatan"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


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
