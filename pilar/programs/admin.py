"""Programs are data: Admin Dinsos adds and edits them (criteria, quota, dates, texts) in the Django admin.
Enrollments change only through Pilar's pages and API (their services write events and audit), so they are
read-only here."""

from django.contrib import admin

from pilar.audit.admin import AuditedAdmin, ReadOnlyAdmin
from pilar.programs.models import Enrollment, Program, ProgramPeriod


class PeriodInline(admin.TabularInline):
    model = ProgramPeriod
    fields = ["key", "starts_on", "ends_on", "quota"]
    readonly_fields = ["key", "starts_on", "ends_on"]
    extra = 0
    can_delete = False


@admin.register(Program)
class ProgramAdmin(AuditedAdmin):  # admin-site changes go into the audit trail
    list_display = ["name", "code", "agency", "kind", "period_kind", "quota", "is_active"]
    list_filter = ["kind", "agency", "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["categories", "kecamatan_limits", "kelurahan_limits"]
    inlines = [PeriodInline]


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "program", "period", "status", "kelurahan", "proposed_at"]
    list_filter = ["status", "program"]
    list_select_related = ["program", "period", "kelurahan"]
