"""Read-only admin list of complaints, for Admin Dinsos' investigations; triage goes through Pilar's pages.

Only the code, status, place and dates are listed: the people in a complaint are seen on Pilar's own
page, where the view is logged.
"""

from django.contrib import admin

from pilar.audit.admin import ReadOnlyAdmin
from pilar.complaints.models import Complaint

FIELDS = (
    "tracking_code",
    "status",
    "channel",
    "kelurahan",
    "kecamatan",
    "category",
    "close_reason",
    "case",
    "triaged_by",
    "triaged_at",
    "created_at",
)


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "status", "kelurahan", "kecamatan", "channel", "created_at", "triaged_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["kelurahan", "kecamatan"]
    search_fields = ["tracking_code"]
    fields = FIELDS
    readonly_fields = FIELDS
