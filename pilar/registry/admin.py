"""Read-only Django admin views of the registry, for Admin Dinsos' investigations; changes go through Pilar's pages."""

from django.contrib import admin

from pilar.registry.models import Category, Household, ImportJob, PpksRecord


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnly):
    list_display = ["code", "name", "kind", "subject"]
    list_filter = ["kind", "subject"]


@admin.register(PpksRecord)
class PpksRecordAdmin(ReadOnly):
    list_display = ["id", "category", "status", "kelurahan", "proposed_at"]
    list_filter = ["status", "category", "kelurahan"]
    list_select_related = ["category", "kelurahan"]
    raw_id_fields = ["person", "household", "duplicate_of", "import_job"]
    show_full_result_count = False


@admin.register(Household)
class HouseholdAdmin(ReadOnly):
    list_display = ["id", "kk_number", "kelurahan"]
    list_select_related = ["kelurahan"]
    raw_id_fields = ["head"]
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly):
    list_display = ["created_at", "file_name", "user", "status", "created_count", "error_count"]
