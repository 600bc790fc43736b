import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from pilar import audit
from pilar.audit.models import AuditEntry, PersonalDataAccess

if TYPE_CHECKING:  # ModelAdmin is generic for the type checker only (not subscriptable at run time)
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = admin.ModelAdmin


class ReadOnlyAdmin(_ModelAdmin):
    """Read-only in the admin site, for an admin's investigations: the audit trail is evidence nobody edits or
    deletes, and records that change only through Pilar's services (which write their events and audit
    entries) must not change behind them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__username"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "channel", "content_type", "object_id", "subject_count", "unmasked"]
    list_filter = ["channel", "unmasked"]
    search_fields = ["user__username", "object_id"]


class AuditedAdmin(_ModelAdmin):
    """An admin-site page whose additions, changes and deletions also go into Pilar's audit trail
    (Django's own admin log can be edited and is not hash-chained)."""

    def _audit(self, request: HttpRequest, action: str, obj: Model, message: Any) -> None:
        text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False, default=str)
        meta = type(obj)._meta
        with transaction.atomic():
            audit.record_for(
                request.user,
                f"admin.{meta.app_label}.{meta.model_name}.{action}",
                model=type(obj),
                object_id=str(obj.pk),
                object_repr=str(obj),
                data={"message": text[:1000]},
            )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, "added", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, "changed", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            self._audit(request, "deleted", obj, "")
        return super().log_deletions(request, queryset)
