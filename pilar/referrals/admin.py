"""Read-only admin of referrals for Admin Dinsos' investigations; agencies are added in the accounts admin (OPD)."""

from django.contrib import admin

from pilar.audit.admin import ReadOnlyAdmin
from pilar.referrals.models import Referral, ReferralEvent


class EventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["id", "agency", "status", "kelurahan", "sent_at", "answer_due"]
    list_filter = ["status", "agency"]
    list_select_related = ["agency", "kelurahan"]
    raw_id_fields = ["case"]
    inlines = [EventInline]
