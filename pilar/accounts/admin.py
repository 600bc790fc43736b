from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpResponseRedirect

from pilar.accounts.models import Agency, ApiToken, RoleAssignment, User
from pilar.accounts.services import tokens_revoke_all
from pilar.audit.admin import AuditedAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Pilar", {"fields": ("full_name", "phone", "must_change_password")}))

    # The admin site writes users directly: the same token rules as Pilar's own account pages apply here.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            tokens_revoke_all(user=obj, actor=request.user, reason=ApiToken.RevokeReason.DEACTIVATED)

    def save_formset(self, request, form, formset, change):
        changed = formset.model is RoleAssignment and formset.has_changed()
        super().save_formset(request, form, formset, change)
        if change and changed:
            tokens_revoke_all(user=form.instance, actor=request.user, reason=ApiToken.RevokeReason.ROLE)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and isinstance(response, HttpResponseRedirect):
                user = self.get_object(request, id)
                tokens_revoke_all(user=user, actor=request.user, reason=ApiToken.RevokeReason.PASSWORD)
        return response


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]
