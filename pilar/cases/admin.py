"""Admin: the office edits stage targets and risk factors here; cases change only through Pilar's pages."""

from django.contrib import admin

from pilar.audit.admin import ReadOnlyAdmin
from pilar.cases.models import Case, RiskFactor, StageTarget


@admin.register(StageTarget)
class StageTargetAdmin(admin.ModelAdmin):
    list_display = ["stage", "days"]
    list_editable = ["days"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "weight", "order", "is_active"]
    list_editable = ["weight", "order", "is_active"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "stage", "risk_level", "kelurahan", "source", "created_at"]
    list_filter = ["stage", "risk_level", "source"]
    list_select_related = ["kelurahan"]
    raw_id_fields = ["person", "household"]
