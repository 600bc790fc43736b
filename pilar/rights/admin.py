from django.contrib import admin

from pilar.rights.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "days", "active", "legal_basis"]
    list_editable = ["days", "active"]
