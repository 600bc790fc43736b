from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from pilar.accounts.models import Agency, ApiToken, RoleAssignment, User
from pilar.accounts.permissions import signed_in
from pilar.accounts.services import tokens_revoke_all
from pilar.audit.admin import AuditedAdmin

if TYPE_CHECKING:  # the admin classes are generic for the type checker only (not subscriptable at run time)
    _RoleInline = admin.TabularInline[RoleAssignment, User]
    _BaseUserAdmin = BaseUserAdmin[User]
else:
    _RoleInline = admin.TabularInline
    _BaseUserAdmin = BaseUserAdmin


class RoleAssignmentInline(_RoleInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(AuditedAdmin, _BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Pilar", {"fields": ("full_name", "phone", "must_change_password")}),
    )

    # The admin site writes users directly: the same token rules as Pilar's own account pages apply here.
    # Only signed-in staff reach these methods (the admin site's own check), so the request's user is an account.
    def save_model(self, request: HttpRequest, obj: User, form: "ModelForm[User]", change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            tokens_revoke_all(user=obj, actor=signed_in(request), reason=ApiToken.RevokeReason.DEACTIVATED)

    def save_formset(
        self,
        request: HttpRequest,
        form: "ModelForm[User]",
        formset: "BaseInlineFormSet[RoleAssignment, User, ModelForm[RoleAssignment]]",
        change: bool,
    ) -> None:
        changed = formset.model is RoleAssignment and formset.has_changed()
        super().save_formset(request, form, formset, change)
        if change and changed:
            tokens_revoke_all(user=form.instance, actor=signed_in(request), reason=ApiToken.RevokeReason.ROLE)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and isinstance(response, HttpResponseRedirect):
                # the password was just changed on this account: the admin's view has found it
                user = self.get_object(request, id)
                if user is not None:
                    tokens_revoke_all(user=user, actor=signed_in(request), reason=ApiToken.RevokeReason.PASSWORD)
        return response


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]
