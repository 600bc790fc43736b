from django.contrib import admin

from pilar.audit.models import AuditEntry, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    """The trail is evidence: nobody edits or deletes it, not even an admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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
